/**
 * The host: devices from config → safety layer → one API (dispatcher, state, events, frames).
 * Runs in the Electron main process or in plain Node (`npm run serve`, the CLI, tests).
 */
import path from 'node:path';
import type { SimClock } from '../../drivers/sim/sim-clock';
import { SimWorld } from '../../drivers/sim/world';
import type { DriverContext } from '../../drivers/registry';
import type { HostEvent } from '../api/contract';
import type { LoadedConfig } from '../config/load';
import { AutoShutter } from '../safety/auto-shutter';
import { SafetyLayer } from '../safety/safety-layer';
import type { SupervisorHandle } from '../safety/supervisor/supervisor-client';
import { AcquisitionService } from './acquisition-service';
import { AnalysisService } from './analysis-service';
import { sessionDir } from '../cli/session-file';
import { createAccessHandlers } from './access-handlers';
import { createCameraFeatureHandlers } from './camera-feature-handlers';
import { AuditLog } from './audit-log';
import { summarizeArgs } from './audit-summary';
import { AutomationService } from './automation-service';
import { createHandlers, type CallContext } from './command-handlers';
import { ControlLease, identityOf, type ControlLeaseOptions } from './control-lease';
import { UploadService } from './upload-service';
import { DeviceManager } from './device-manager';
import { EventHistory, refusalEvent } from './event-history';
import { Dispatcher, type CallObserver } from './dispatcher';
import { FrameBus } from './frame-bus';
import { initDeviceSections, initialState, quietLog, watchSupervisor } from './host-init';
import { LiveIdleStop } from './live-idle-stop';
import { consoleLogger, redactCredentials, type Logger, type LogLevel } from './logger';
import { StateStore } from './state-store';
import { startWatchdog } from './watchdog';
import { createMacroHandlers } from '../macros/macro-handlers';
import { EXAMPLES_DIR, type LibraryDirs } from '../macros/macro-library';
import { MacroService, type MacroServiceDeps } from '../macros/macro-service';
import { simulatedTwin } from '../macros/dry-run';

export interface HostOptions {
  log?: Logger;
  /**
   * The safety supervisor watching this host (supervised-host.ts). A clean shutdown disarms
   * it once every laser is confirmed off; its loss is logged and shown in state.
   */
  supervisor?: SupervisorHandle;
  /** Shown in `safety.supervisor.message`, e.g. which devices the supervisor cannot reach. */
  supervisorNote?: string;
  /** What a supervisor did after the previous host died, shown once (log and state). */
  supervisorReports?: string[];
  /** The host's own files (audit trail); default AQUILA_HOME or ~/.aquila. */
  dataDir?: string;
  lease?: ControlLeaseOptions;
  /** Issue #15: the macro library (default: assets/macros and <dataDir>/macros). */
  macroLibrary?: LibraryDirs;
  /** Issue #15: macro clocks and dry runs (electron/macros/dry-run.ts). */
  macroClock?: MacroServiceDeps['clock'];
  macroDryRun?: MacroServiceDeps['dryRun'];
  /**
   * Issue #15: where this host's calls are audited instead of its own trail (a dry run's
   * simulated twin hands them to the real host's audit trail, marked dry-run).
   */
  auditTo?: CallObserver;
  /**
   * Issue #15: the time the simulated devices and the safety layer's dose timing keep (a dry
   * run's FastClock); default real time.
   */
  simTime?: SimClock;
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
  readonly lease: ControlLease;
  readonly audit: AuditLog;
  readonly automation: AutomationService;
  readonly macros: MacroService;
  readonly shutter: AutoShutter;
  readonly log: Logger;
  call(name: string, args: unknown, ctx: CallContext): ReturnType<Dispatcher['call']>;
  onEvent(listener: (event: HostEvent) => void): () => void;
  /** The most recent events, oldest first (sent with `hello`). */
  recentEvents(): HostEvent[];
  /** Lasers off, live stopped, devices closed. Idempotent. */
  shutdown(reason: string): Promise<void>;
}

export async function createHost(loaded: LoadedConfig, options: HostOptions = {}): Promise<Host> {
  const { config } = loaded;
  const eventListeners = new Set<(event: HostEvent) => void>();
  // The last events, for a page that (re)connects (issue #18 §4).
  const history = new EventHistory();
  const emit = (event: HostEvent) => {
    history.push(event);
    for (const l of eventListeners) l(event);
  };
  const baseLog = options.log ?? consoleLogger();
  const log: Logger = {
    log(level: LogLevel, text: string) {
      const message = redactCredentials(text);
      baseLog.log(level, message);
      if (level !== 'debug') emit({ type: 'log', level, message, timeMs: Date.now() });
    },
  };

  let world: SimWorld | undefined;
  const ctx: DriverContext = {
    simWorld: () =>
      (world ??= new SimWorld({
        ...config.sim,
        cameraMount: config.sim.cameraMount ?? config.stageOrientation,
        time: options.simTime,
      })),
    log: (level, message) => log.log(level, message),
  };

  const store = new StateStore(initialState(loaded));
  const devices = new DeviceManager(config.devices, ctx, store, log);
  store.update((s) => {
    s.devices = devices.initialStatuses();
  });
  initDeviceSections(store, devices);

  const simTime = options.simTime;
  const safety = new SafetyLayer(
    config.limits,
    devices,
    log,
    simTime ? () => simTime.epochMs() : undefined,
  );
  safety.onLatchChange((reason) => {
    store.update((s) => {
      s.safety.estopLatched = reason !== null;
      s.safety.estopReason = reason;
    });
    // The reset is logged once, by the safety layer.
    if (reason) emit({ type: 'safety', message: `E-stop: ${reason}`, timeMs: Date.now() });
  });

  watchSupervisor(options, store, log, emit);

  // Issue #18: auto-shutter and the dose per frame.
  const shutter = new AutoShutter(safety, log, ({ autoShutter, armed }) =>
    store.update((s) => {
      s.shutter ??= { auto: autoShutter, liveStopReason: null };
      s.shutter.auto = autoShutter;
      for (const l of Object.values(s.lasers)) l.armed = armed.includes(l.id);
    }),
  );
  // An e-stop ends the channel selection: after the reset no chip looks selected and no line
  // is armed until the operator picks one again (while latched, the armed line keeps a snap
  // refused).
  safety.onLatchChange((reason) => {
    if (reason !== null) return;
    shutter.disarm();
    store.update((s) => {
      s.activeChannel = null;
    });
  });
  const bus = new FrameBus(store, (from, to) => safety.emission.doseMwMs(from, to));
  const audit = new AuditLog(path.join(options.dataDir ?? sessionDir(), 'audit'), {
    onError: (err) => log.log('error', `Audit trail: cannot append (${err.message})`),
  });
  const lease = new ControlLease(store, options.lease);
  const acquisition = new AcquisitionService({
    config,
    store,
    safety,
    devices,
    bus,
    log,
    shutter,
    time: options.simTime,
    accessProvenance: () => ({
      controller: store.state.control.holder,
      auditFile: audit.file,
      sessionAudit: audit.sessionEntries(),
    }),
  });
  const analysis = new AnalysisService({
    config,
    store,
    log,
    datasetsRoot: () => acquisition.datasetsRoot,
  });
  const uploads = new UploadService({
    config,
    store,
    acquisition,
    log,
  });
  uploads.onVerified((e) => analysis.datasetVerified(e.dataset, e.target));
  const automation = new AutomationService({
    config,
    store,
    safety,
    devices,
    bus,
    acquisition,
    uploads,
    log,
    shutter,
    time: options.simTime,
  });
  const dispatcher: Dispatcher = new Dispatcher(
    {
      ...createHandlers({
        store,
        safety,
        devices,
        bus,
        acquisition,
        uploads,
        automation,
        shutter,
        log,
      }),
      ...createAccessHandlers(lease, audit),
      ...analysis.handlers(),
      ...createMacroHandlers(() => macros, store),
      ...createCameraFeatureHandlers(devices),
    },
    log,
    lease,
  );
  const macros: MacroService = new MacroService({
    store,
    bus,
    call: (name, args, callCtx) => dispatcher.call(name, args, callCtx),
    whenIdle: (what) => (what === 'run' ? acquisition.whenIdle() : automation.whenIdle()),
    library: options.macroLibrary ?? {
      examples: EXAMPLES_DIR,
      user: path.join(options.dataDir ?? sessionDir(), 'macros'),
    },
    clock: options.macroClock,
    dryRun: options.macroDryRun,
    audit: (entry) => (options.auditTo ?? auditCall)(entry),
    dryHost: (scratch, recorderOptions) =>
      createHost(
        {
          ...loaded,
          config: {
            ...simulatedTwin(config),
            storage: { ...config.storage, datasetsRoot: scratch },
          },
        },
        {
          log: quietLog(log),
          dataDir: scratch,
          auditTo: (entry) => auditCall(entry, true),
          ...recorderOptions,
        },
      ),
  });
  const auditCall = (
    { name, args, ctx, ok, code, error, ms }: Parameters<CallObserver>[0],
    dryRun = false,
  ) => {
    // Heartbeats and view settings (tab clicks) would drown the audit trail.
    if ((name === 'control.heartbeat' || name === 'view.set') && ok) return;
    // Issue #18: refusals go to every client's event list, not only to the caller.
    const refused = !dryRun && error && refusalEvent(name, identityOf(ctx).user, error);
    if (refused) emit(refused);
    audit.append({
      timeMs: Date.now(),
      user: identityOf(ctx).user,
      clientId: ctx.clientId,
      transport: ctx.transport,
      command: name,
      args: summarizeArgs(args),
      ok,
      ...(code ? { code } : {}),
      ms: Math.round(ms * 10) / 10,
      ...(dryRun ? { dryRun } : {}),
    });
  };
  dispatcher.observe(options.auditTo ?? ((entry) => auditCall(entry)));
  startWatchdog({
    lease,
    safety,
    devices,
    store,
    log,
    onAction: ({ holder, reason, stopped }) =>
      audit.append({
        timeMs: Date.now(),
        user: 'host',
        clientId: 'watchdog',
        transport: 'internal',
        command: 'watchdog',
        args: { holder, reason, action: stopped ? 'motion stopped, lasers off' : 'run continues' },
        ok: true,
        ms: 0,
      }),
  });
  const liveIdle = new LiveIdleStop({
    idleS: config.liveIdleStopS,
    isLive: () => devices.camera?.isLive() ?? false,
    watchers: () => store.subscriberCount,
    stop: async (reason) => {
      const r = await dispatcher.call('camera.stopLive', {}, internalCaller);
      if (!r.ok) throw new Error(r.error.message);
      store.update((s) => {
        if (s.shutter) s.shutter.liveStopReason = reason;
      });
    },
    log,
  });
  store.update((s) => {
    s.storage.datasetsRoot = acquisition.datasetsRoot;
  });
  acquisition.init();
  analysis.init();
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
    lease,
    audit,
    automation,
    macros,
    shutter,
    log,
    call: (name, args, callCtx) => dispatcher.call(name, args, callCtx),
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    recentEvents: () => history.recent(),
    shutdown(reason) {
      shutdownPromise ??= (async () => {
        lease.close();
        liveIdle.close();
        await macros.shutdown();
        const off = await safety.allLasersOff(`shutdown: ${reason}`);
        await automation.shutdown();
        await acquisition.shutdown();
        await uploads.close();
        await analysis.close();
        if (devices.camera?.isLive()) await devices.camera.stopLive().catch(() => undefined);
        await devices.closeAll();
        const unconfirmed = [...devices.lasers.keys()].filter((id) => !off.lasersOff.includes(id));
        if (!options.supervisor) return;
        if (unconfirmed.length === 0) {
          await options.supervisor.disarm();
          store.update((s) => {
            s.safety.supervisor!.state = 'disarmed';
          });
        } else
          log.log(
            'error',
            `Safety supervisor stays armed: it retries ${unconfirmed.join(', ')} once this process ends`,
          );
      })();
      return shutdownPromise;
    },
  };
  return host;
}

const internalCaller: CallContext = { clientId: 'live-idle-stop', transport: 'internal' };
