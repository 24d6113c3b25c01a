/**
 * The host: devices from config → safety layer → one API (dispatcher, state, events, frames).
 * Runs in the Electron main process or in plain Node (`npm run serve`, the CLI, tests).
 */
import { SimWorld } from '../../drivers/sim/world';
import type { DriverContext } from '../../drivers/registry';
import type { AppState, HostEvent } from '../api/contract';
import type { LoadedConfig } from '../config/load';
import { SafetyLayer } from '../safety/safety-layer';
import { AcquisitionService } from './acquisition-service';
import { AutomationService } from './automation-service';
import { createHandlers, type CallContext } from './command-handlers';
import { UploadService } from './upload-service';
import { DeviceManager } from './device-manager';
import { Dispatcher } from './dispatcher';
import { FrameBus } from './frame-bus';
import { consoleLogger, type Logger, type LogLevel } from './logger';
import { StateStore } from './state-store';
import { APP_VERSION } from './version';

export interface HostOptions {
  log?: Logger;
}

export interface Host {
  readonly configPath: string;
  readonly store: StateStore;
  readonly bus: FrameBus;
  readonly safety: SafetyLayer;
  readonly devices: DeviceManager;
  readonly dispatcher: Dispatcher;
  readonly acquisition: AcquisitionService;
  readonly uploads: UploadService;
  readonly automation: AutomationService;
  readonly log: Logger;
  call(name: string, args: unknown, ctx: CallContext): ReturnType<Dispatcher['call']>;
  onEvent(listener: (event: HostEvent) => void): () => void;
  /** Lasers off, live stopped, devices closed. Idempotent. */
  shutdown(reason: string): Promise<void>;
}

export async function createHost(loaded: LoadedConfig, options: HostOptions = {}): Promise<Host> {
  const { config } = loaded;
  const eventListeners = new Set<(event: HostEvent) => void>();
  const emit = (event: HostEvent) => {
    for (const l of eventListeners) l(event);
  };
  const baseLog = options.log ?? consoleLogger();
  const log: Logger = {
    log(level: LogLevel, message: string) {
      baseLog.log(level, message);
      if (level !== 'debug') emit({ type: 'log', level, message, timeMs: Date.now() });
    },
  };

  let world: SimWorld | undefined;
  const ctx: DriverContext = {
    simWorld: () => (world ??= new SimWorld(config.sim)),
    log: (level, message) => log.log(level, message),
  };

  const store = new StateStore(initialState(loaded));
  const devices = new DeviceManager(config.devices, ctx, store, log);
  store.update((s) => {
    s.devices = devices.initialStatuses();
  });
  initDeviceSections(store, devices);

  const safety = new SafetyLayer(config.limits, devices, log);
  safety.onLatchChange((reason) => {
    store.update((s) => {
      s.safety.estopLatched = reason !== null;
      s.safety.estopReason = reason;
    });
    emit({
      type: 'safety',
      message: reason ? `E-stop: ${reason}` : 'E-stop reset',
      timeMs: Date.now(),
    });
  });

  const bus = new FrameBus(store);
  const acquisition = new AcquisitionService({ config, store, safety, devices, bus, log });
  const uploads = new UploadService({ config, store, acquisition, log });
  const automation = new AutomationService({
    config,
    store,
    safety,
    devices,
    bus,
    acquisition,
    uploads,
    log,
  });
  const dispatcher = new Dispatcher(
    createHandlers({ store, safety, devices, bus, acquisition, uploads, automation }),
    log,
  );
  store.update((s) => {
    s.storage.datasetsRoot = acquisition.datasetsRoot;
  });
  acquisition.init();
  await uploads.init();
  await devices.connectAll();

  let shutdownPromise: Promise<void> | undefined;
  const host: Host = {
    configPath: loaded.path,
    store,
    bus,
    safety,
    devices,
    dispatcher,
    acquisition,
    uploads,
    automation,
    log,
    call: (name, args, callCtx) => dispatcher.call(name, args, callCtx),
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    shutdown(reason) {
      shutdownPromise ??= (async () => {
        await safety.allLasersOff(`shutdown: ${reason}`);
        await automation.shutdown();
        await acquisition.shutdown();
        await uploads.close();
        if (devices.camera?.isLive()) await devices.camera.stopLive().catch(() => undefined);
        await devices.closeAll();
      })();
      return shutdownPromise;
    },
  };
  return host;
}

function initialState({ config, path }: LoadedConfig): AppState {
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
    automation: null,
    focusLock: null,
  };
}

function initDeviceSections(store: StateStore, devices: DeviceManager): void {
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
