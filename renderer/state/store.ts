/**
 * The UI store: typed slices combined into one zustand store (slices pattern). It holds
 * human-rate state only — the host mirror, link status, notices and display settings.
 * Frames never pass through here; the live view reads display settings with getState()
 * inside its render loop.
 */
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import type { ApiError, HostEvent } from '../../electron/api/contract';
import type { ColormapName } from '../display/colormaps';
import type { LinkStatus } from '../transport/host-connection';
import type { Mirror } from './mirror';
import { createRoiSlice, type RoiSlice } from './roi-slice';
import { createNavigatorSlice, type NavigatorSlice } from '../navigator/navigator-slice';

export interface LinkSlice {
  link: LinkStatus;
  setLink(status: LinkStatus): void;
}

export interface HostSlice {
  /** Null until the first `hello`; kept (stale) across disconnects so readouts stay visible. */
  mirror: Mirror | null;
  setMirror(mirror: Mirror): void;
  /** This page's client id from the last `hello` (matches `state.control` entries). */
  clientId: string | null;
  setClientId(clientId: string): void;
}

export interface Notice {
  id: number;
  level: 'error' | 'warn' | 'info';
  text: string;
  timeMs: number;
}

export const NOTICE_LIMIT = 6;
export const EVENT_LOG_LIMIT = 100;

export interface UiSlice {
  notices: Notice[];
  eventLog: HostEvent[];
  jogStepUm: number;
  jogStepZUm: number;
  /** Shows a failed command (or any error) to the user; never swallowed. */
  pushError(context: string, error: ApiError): void;
  pushNotice(level: Notice['level'], text: string): void;
  dismissNotice(id: number): void;
  pushEvent(event: HostEvent): void;
  setJogStepUm(um: number): void;
  setJogStepZUm(um: number): void;
}

export interface DisplaySlice {
  colormap: ColormapName;
  /** Manual window; in auto mode the live view overwrites it a few times a second. */
  windowMin: number;
  windowMax: number;
  gamma: number;
  autoContrast: boolean;
  saturatedPct: number;
  setColormap(name: ColormapName): void;
  setWindow(min: number, max: number): void;
  setGamma(gamma: number): void;
  setAutoContrast(on: boolean): void;
}

export type UiState = LinkSlice & HostSlice & UiSlice & DisplaySlice & RoiSlice & NavigatorSlice;
export type AppStore = StoreApi<UiState>;
type Slice<T> = StateCreator<UiState, [], [], T>;

const createLinkSlice: Slice<LinkSlice> = (set) => ({
  link: { state: 'connecting', detail: null, transport: 'websocket' },
  setLink: (link) => set({ link }),
});

const createHostSlice: Slice<HostSlice> = (set) => ({
  mirror: null,
  setMirror: (mirror) => set({ mirror }),
  clientId: null,
  setClientId: (clientId) => set({ clientId }),
});

let noticeId = 0;

const createUiSlice: Slice<UiSlice> = (set, get) => ({
  notices: [],
  eventLog: [],
  jogStepUm: 100,
  jogStepZUm: 1,
  pushError: (context, error) =>
    get().pushNotice('error', `${context}: ${error.message} [${error.code}]`),
  pushNotice: (level, text) =>
    set((s) => ({
      notices: [...s.notices, { id: ++noticeId, level, text, timeMs: Date.now() }].slice(
        -NOTICE_LIMIT,
      ),
    })),
  dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  pushEvent: (event) => set((s) => ({ eventLog: [...s.eventLog, event].slice(-EVENT_LOG_LIMIT) })),
  setJogStepUm: (jogStepUm) => set({ jogStepUm }),
  setJogStepZUm: (jogStepZUm) => set({ jogStepZUm }),
});

const createDisplaySlice: Slice<DisplaySlice> = (set) => ({
  colormap: 'grey',
  windowMin: 0,
  windowMax: 4095,
  gamma: 1,
  autoContrast: true,
  saturatedPct: 0.35,
  setColormap: (colormap) => set({ colormap }),
  setWindow: (windowMin, windowMax) => set({ windowMin, windowMax }),
  setGamma: (gamma) => set({ gamma }),
  setAutoContrast: (autoContrast) => set({ autoContrast }),
});

/** `initial` overrides slice defaults (tests, server-side rendering of a known state). */
export function createAppStore(initial: Partial<UiState> = {}): AppStore {
  return createStore<UiState>()((...a) => ({
    ...createLinkSlice(...a),
    ...createHostSlice(...a),
    ...createUiSlice(...a),
    ...createDisplaySlice(...a),
    ...createRoiSlice(...a),
    ...createNavigatorSlice(...a),
    ...initial,
  }));
}
