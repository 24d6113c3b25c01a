/** The host's start-up pieces: its first state, device sections, supervisor watch, twin log. */
import { DEFAULT_VIEW, type AppState, type HostEvent } from '../api/contract';
import type { LoadedConfig } from '../config/load';
import type { SupervisorHandle } from '../safety/supervisor/supervisor-client';
import type { DeviceManager } from './device-manager';
import type { Logger } from './logger';
import type { StateStore } from './state-store';
import { APP_VERSION } from './version';

/** A dry-run twin's log: warnings and errors only, marked as the twin's. */
export function quietLog(log: Logger): Logger {
  return {
    log: (level, text) =>
      level !== 'debug' && level !== 'info' && log.log(level, `dry run: ${text}`),
  };
}

export function watchSupervisor(
  options: {
    supervisor?: SupervisorHandle;
    supervisorNote?: string;
    supervisorReports?: readonly string[];
  },
  store: StateStore,
  log: Logger,
  emit: (event: HostEvent) => void,
): void {
  const { supervisor } = options;
  for (const report of options.supervisorReports ?? []) log.log('warn', report);
  store.update((s) => {
    s.safety.supervisor = {
      state: supervisor ? 'armed' : 'not-needed',
      pid: supervisor?.pid ?? null,
      message: options.supervisorNote ?? null,
      lastReport: options.supervisorReports?.at(-1) ?? null,
    };
  });
  supervisor?.onLost((why) => {
    const message = `Safety supervisor ${supervisor.pid} ${why}: lasers will NOT be switched off if this host dies uncleanly; restart the host`;
    log.log('error', message);
    store.update((s) => {
      s.safety.supervisor = { ...s.safety.supervisor!, state: 'lost', message };
    });
    emit({ type: 'safety', message, timeMs: Date.now() });
  });
}

export function initialState({ config, path }: LoadedConfig): AppState {
  return {
    instrument: { name: config.name, configPath: path, version: APP_VERSION },
    safety: { estopLatched: false, estopReason: null, limits: config.limits },
    devices: {},
    stage: null,
    focus: null,
    lasers: {},
    camera: null,
    channels: config.channels,
    activeChannel: null,
    run: null,
    datasets: [],
    storage: {
      datasetsRoot: '',
      freeBytes: null,
      totalBytes: null,
      nearlyFull: false,
      uploadTargets: [],
    },
    uploads: [],
    control: { holder: null, clients: [], requests: [] },
    automation: null,
    focusLock: null,
    roiFinder: null,
    navigator: {
      sampleHolder: config.sampleHolder ?? null,
      travelUm: config.stage?.travelUm ?? null,
    },
    view: { ...DEFAULT_VIEW },
    stageOrientation: { ...config.stageOrientation },
  };
}

export function initDeviceSections(store: StateStore, devices: DeviceManager): void {
  store.update((s) => {
    if (devices.stage) s.stage = { id: devices.stage.id, xUm: 0, yUm: 0, busy: false };
    if (devices.focus) s.focus = { id: devices.focus.id, zUm: 0, busy: false };
    for (const [id, l] of devices.lasers) {
      s.lasers[id] = {
        id,
        wavelengthNm: l.wavelengthNm,
        maxPowerMw: l.maxPowerMw,
        powerMw: 0,
        emission: false,
      };
    }
    const cam = devices.camera;
    if (cam) {
      s.camera = {
        id: cam.id,
        ...cam.sensor,
        exposureMs: 0,
        binning: 1,
        roi: null,
        live: false,
        framesAcquired: 0,
        framesDropped: 0,
      };
    }
  });
}
