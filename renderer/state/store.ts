/**
 * The UI store: typed slices combined into one zustand store (slices pattern). It holds
 * human-rate state only — the host mirror, link status, notices and display settings.
 * Frames never pass through here; the live view reads display settings with getState()
 * inside its render loop.
 */
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import type { ApiError, HostEvent, ViewTab } from '../../electron/api/contract';
import type { ColormapName } from '../display/colormaps';
import type { LinkStatus } from '../transport/host-connection';
import { describeError } from './error-text';
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
  /** A details line under the text (command, error code, the host's own wording). */
  detail?: string;
  /**
   * What the notice is about (e.g. "laser.setPower:laser488", "E_ESTOP"): a new notice with
   * the same key replaces it (one message, counted), and `clearNotices(key)` removes it once
   * the cause is fixed.
   */
  key?: string;
  /** How many times it was raised since it appeared. */
  count: number;
  timeMs: number;
}

export interface NoticeOptions {
  detail?: string;
  key?: string;
}

export const NOTICE_LIMIT = 6;
export const EVENT_LOG_LIMIT = 100;

export interface UiSlice {
  notices: Notice[];
  eventLog: HostEvent[];
  jogStepUm: number;
  jogStepZUm: number;
  /**
   * Shows a failed command (or any error) to the user in plain words (error-text.ts); never
   * swallowed. `key` defaults to `context`.
   */
  pushError(context: string, error: ApiError, key?: string): void;
  /** Without a key, an identical text still showing is counted instead of stacked. */
  pushNotice(level: Notice['level'], text: string, options?: NoticeOptions): void;
  dismissNotice(id: number): void;
  /** Removes the notices about `key` (its cause was fixed). */
  clearNotices(key: string): void;
  pushEvent(event: HostEvent): void;
  /** The host's recent events from `hello` replace the list (a reload shows the same list). */
  setEventLog(events: readonly HostEvent[]): void;
  setJogStepUm(um: number): void;
  setJogStepZUm(um: number): void;
  /** The side bar's tab; kept by the host for the next page (view.set). */
  tab: ViewTab;
  setTab(tab: ViewTab): void;
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
  /**
   * The operator typed one edge of the window: auto-contrast goes off and the other edge moves
   * only as far as needed to keep min < max, all from the state at this moment (never from a
   * render's copy, which auto-contrast may have overtaken).
   */
  setWindowEdge(edge: 'min' | 'max', value: number): void;
  setGamma(gamma: number): void;
  setAutoContrast(on: boolean): void;
  /** The channel the live image shows (display/frame-channel.ts); null before a frame. */
  displayChannel: string | null;
  /** Each channel's LUT while another channel is shown (one LUT per channel). */
  lutByChannel: Record<string, ChannelLut>;
  /**
   * The live image now shows `channel`: the current LUT is kept for the channel shown until
   * now, and `channel`'s own LUT (if it had one) comes back.
   */
  showChannel(channel: string): void;
}

export type ChannelLut = Pick<
  DisplaySlice,
  'colormap' | 'windowMin' | 'windowMax' | 'gamma' | 'autoContrast'
>;

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
  pushError: (context, error, key = context) => {
    const { text, detail } = describeError(error, context);
    get().pushNotice('error', text, { detail, key });
  },
  pushNotice: (level, text, options = {}) =>
    set((s) => {
      const same = (n: Notice) => (options.key ? n.key === options.key : n.text === text);
      const previous = s.notices.find(same);
      const notice: Notice = {
        id: ++noticeId,
        level,
        text,
        ...(options.detail ? { detail: options.detail } : {}),
        ...(options.key ? { key: options.key } : {}),
        count: previous && previous.text === text ? previous.count + 1 : 1,
        timeMs: Date.now(),
      };
      return { notices: [...s.notices.filter((n) => !same(n)), notice].slice(-NOTICE_LIMIT) };
    }),
  dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  clearNotices: (key) =>
    set((s) =>
      s.notices.some((n) => n.key === key)
        ? { notices: s.notices.filter((n) => n.key !== key) }
        : s,
    ),
  pushEvent: (event) => set((s) => ({ eventLog: [...s.eventLog, event].slice(-EVENT_LOG_LIMIT) })),
  setEventLog: (events) => set({ eventLog: events.slice(-EVENT_LOG_LIMIT) }),
  tab: 'control',
  setTab: (tab) => set({ tab }),
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
  setWindowEdge: (edge, value) =>
    set((s) =>
      edge === 'min'
        ? { autoContrast: false, windowMin: value, windowMax: Math.max(value + 1, s.windowMax) }
        : { autoContrast: false, windowMin: Math.min(s.windowMin, value - 1), windowMax: value },
    ),
  setGamma: (gamma) => set({ gamma }),
  setAutoContrast: (autoContrast) => set({ autoContrast }),
  displayChannel: null,
  lutByChannel: {},
  showChannel: (channel) =>
    set((s) => {
      if (s.displayChannel === channel) return s;
      const { colormap, windowMin, windowMax, gamma, autoContrast } = s;
      const lutByChannel =
        s.displayChannel === null
          ? s.lutByChannel
          : {
              ...s.lutByChannel,
              [s.displayChannel]: { colormap, windowMin, windowMax, gamma, autoContrast },
            };
      return { displayChannel: channel, lutByChannel, ...lutByChannel[channel] };
    }),
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
