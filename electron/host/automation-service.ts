/**
 * Automation in the host: software autofocus, ROI finding, the focus lock and unattended
 * FLImP-style runs (electron/automation/flimp/). Motion and light go through the safety
 * layer (the same guarded devices and DeviceEngine an MDA run gets); pixel work runs in the
 * AnalysisPool's worker threads. One automation at a time, never during an MDA run; an
 * e-stop aborts a run at once. Run state is mirrored into AppState.automation, the lock's
 * into AppState.focusLock.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { StateError, ValidationError } from '../../drivers/errors';
import { realTime, type SimClock } from '../../drivers/sim/sim-clock';
import type { CommandResult, RoiVerdict } from '../api/contract';
import { AnalysisPool } from '../automation/analysis-pool';
import type { AutofocusOptions } from '../automation/autofocus';
import { FlimpRun } from '../automation/flimp/executor';
import { prepareRunFolder } from '../automation/flimp/run-folder';
import { openRoiDataset } from '../automation/flimp/roi-dataset';
import { runEventAutofocus } from './mda-autofocus';
import { roiDatasetContext } from './roi-dataset-context';
import {
  AUTOFOCUS_DEFAULTS,
  runSoftwareAutofocus,
  type AutofocusLight,
} from './software-autofocus';
import type { FlimpDeps, SoftwareFocus } from '../automation/flimp/types';
import type { FocusLockControl } from '../automation/flimp/lock-handle';
import { cameraField, cameraGeometry, pixelToStage } from '../automation/pixel-to-stage';
import { showingFrames } from '../runner/showing-engine';
import type { AquilaConfig } from '../config/schema';
import { DeviceEngine } from '../runner/device-engine';
import type { AcquiredFrame, AcquisitionEngine } from '../runner/types';
import { guardDevices } from '../safety/guarded-devices';
import type { SafetyLayer } from '../safety/safety-layer';
import type { AutoShutter } from '../safety/auto-shutter';
import type { AcquisitionService } from './acquisition-service';
import type { DeviceManager } from './device-manager';
import { createFocusLockControl } from './focus-lock-wiring';
import type { FrameBus } from './frame-bus';
import type { Logger } from './logger';
import { clearRois, publishRois, setRoiVerdict } from './roi-finder-state';
import type { StateStore } from './state-store';
import type { UploadService } from './upload-service';

/** Automation frames reach the display at most this often. */
const DISPLAY_MS = 100;

export interface AutomationDeps {
  config: AquilaConfig;
  store: StateStore;
  safety: SafetyLayer;
  devices: DeviceManager;
  bus: FrameBus;
  acquisition: AcquisitionService;
  uploads: UploadService;
  log: Logger;
  /**
   * Auto-shutter (issue #18): snaps without a channel of their own (autofocus.run, rois.find)
   * light the armed line around the exposure.
   */
  shutter?: AutoShutter;
  /**
   * The instrument's clock (HostOptions.simTime; default real time): FLImP ROI intervals,
   * run timestamps and the focus lock's period are on it; ROI finding and ROI dataset
   * opening and writing hold it (real work a dry run's clock must not skip over).
   */
  time?: SimClock;
}

type AutofocusParams = AutofocusOptions;

export class AutomationService {
  private pool: AnalysisPool | null = null;
  private run: FlimpRun | null = null;
  private finished: Promise<unknown> = Promise.resolve();
  /** A single command (autofocus, rois.find, calibration) holds the hardware. */
  private commandBusy: string | null = null;
  readonly lock: FocusLockControl | null;

  constructor(private readonly deps: AutomationDeps) {
    const { devices, safety } = deps;
    this.lock = createFocusLockControl(deps);
    safety.onLatchChange((reason) => {
      if (reason === null) return;
      this.lock?.unlock();
      if (this.running) this.run!.control.abort(`e-stop: ${reason}`);
    });
    deps.acquisition.setEventAutofocus((e, engine) =>
      runEventAutofocus(e, engine, {
        config: deps.config,
        focusSensorId: devices.focusSensor?.id,
        softwareAutofocus: (eng, light) => this.runAutofocus(eng, AUTOFOCUS_DEFAULTS, light),
        requireLock: () => this.requireLock(),
      }),
    );
  }

  /** How camera frames lie on the stage (config `stageOrientation`, pixel-to-stage.ts). */
  private get orientation() {
    return this.deps.config.stageOrientation;
  }

  /** An automation run is active (not ended). */
  get running(): boolean {
    const phase = this.run?.status().phase;
    return phase !== undefined && !['finished', 'failed', 'cancelled'].includes(phase);
  }

  /** Anything of ours holds the hardware (a run or a command in progress). */
  get busy(): boolean {
    return this.running || this.commandBusy !== null;
  }

  private analysis(): AnalysisPool {
    return (this.pool ??= new AnalysisPool());
  }

  /** The runner's engine over the guarded devices; its frames are shown on the display bus. */
  private engine(): AcquisitionEngine {
    const camera = this.requireCamera();
    const { safety } = this.deps;
    const inner = new DeviceEngine({
      ...guardDevices(this.deps.devices, safety),
      camera,
      // Not strict per frame: an ROI's time series keeps its line on between back-to-back
      // exposures (a streaming camera exposes continuously); off at the series' end.
      doseMwMs: (from, to) => safety.emission.doseMwMs(from, to),
    });
    return showingFrames(inner, (f) => this.show(f), DISPLAY_MS);
  }

  /** One exposure with the armed line lit around it (auto-shutter), or the light as it is. */
  private lit<T>(acquire: () => Promise<T>): Promise<T> {
    return this.deps.shutter ? this.deps.shutter.expose(acquire) : acquire();
  }

  private requireCamera() {
    const cam = this.deps.devices.camera;
    if (!cam) throw new StateError('No camera is configured');
    return cam;
  }

  /** Refuses when an MDA run, an automation run or another automation command holds the hardware. */
  private assertFree(what: string): void {
    const r = this.deps.store.state.run;
    if (r && ['running', 'paused', 'cancelling'].includes(r.state))
      throw new StateError(
        `${what}: an acquisition run is in progress (run.cancel or wait for it)`,
      );
    if (this.running)
      throw new StateError(
        `${what}: an automation run is in progress (automation.cancel or wait for it)`,
      );
    if (this.commandBusy) throw new StateError(`${what}: ${this.commandBusy} is in progress`);
    if (this.deps.safety.estopLatched)
      throw new StateError(`${what}: e-stop is latched; reset it first`);
  }

  private async exclusive<T>(what: string, f: () => Promise<T>): Promise<T> {
    this.assertFree(what);
    this.commandBusy = what;
    try {
      const cam = this.requireCamera();
      if (cam.isLive()) await cam.stopLive();
      return await f();
    } finally {
      this.commandBusy = null;
    }
  }

  /** Software autofocus with frames under `light` (a FLImP step) or as the camera and lasers are now. */
  runAutofocus(
    engine: AcquisitionEngine,
    p: AutofocusParams,
    light: AutofocusLight,
    signal?: AbortSignal,
  ) {
    const { config, devices, safety } = this.deps;
    const ctx = { config, devices, safety, pool: () => this.analysis(), lit: this.lit.bind(this) };
    return runSoftwareAutofocus(ctx, engine, p, light, signal);
  }

  /** Shows an automation frame on the display bus (copied: the analysis may take the pixels). */
  private show(f: AcquiredFrame): void {
    const { seq: _seq, ...meta } = f.meta;
    this.deps.bus.publishCopy(meta, f.pixels);
  }

  async autofocusCommand(p: {
    rangeUm?: number | undefined;
    toleranceUm?: number | undefined;
    measure?: AutofocusParams['measure'] | undefined;
    roi?: AutofocusParams['roi'] | undefined;
    maxImages?: number | undefined;
  }): Promise<CommandResult<'autofocus.run'>> {
    return this.exclusive('autofocus', () => {
      const options: AutofocusParams = {
        rangeUm: p.rangeUm ?? AUTOFOCUS_DEFAULTS.rangeUm,
        toleranceUm: p.toleranceUm ?? AUTOFOCUS_DEFAULTS.toleranceUm,
        measure: p.measure ?? AUTOFOCUS_DEFAULTS.measure,
      };
      if (p.roi) options.roi = p.roi;
      if (p.maxImages) options.maxImages = p.maxImages;
      return this.runAutofocus(this.engine(), options, null);
    });
  }

  async findRoisCommand(
    p: NonNullable<Parameters<AnalysisPool['findRois']>[3]> & {
      source?: 'snap' | 'last' | undefined;
    },
  ): Promise<CommandResult<'rois.find'>> {
    const { source = 'snap', ...options } = p;
    const run = async () => {
      let frame;
      if (source === 'last') {
        frame = this.deps.bus.latest;
        if (!frame)
          throw new StateError('rois.find: no frame yet (snap one, or use source "snap")');
      } else {
        const cam = this.requireCamera();
        frame = this.deps.bus.publish(await this.lit(() => cam.snap()));
      }
      const { meta } = frame;
      const g = (await cameraGeometry(this.requireCamera(), this.orientation))(meta);
      const rois = await this.analysis().findRois(
        frame.pixels.slice(),
        meta.widthPx,
        meta.heightPx,
        options,
      );
      const result = {
        frameSeq: meta.seq,
        widthPx: meta.widthPx,
        heightPx: meta.heightPx,
        rois: rois.map((r) => ({ ...r, ...pixelToStage(g, r) })),
      };
      publishRois(
        this.deps.store,
        { ...result, umPerPx: meta.pixelSizeUm * meta.binning },
        { xUm: meta.stage.xUm, yUm: meta.stage.yUm },
      );
      return result;
    };
    return source === 'last' ? run() : this.exclusive('rois.find', run);
  }

  /** An operator's verdict on one ROI of the last rois.find result (AppState.roiFinder). */
  setRoiVerdict(p: { frameSeq: number; index: number; verdict: RoiVerdict }): void {
    setRoiVerdict(this.deps.store, p);
  }

  clearRois(): void {
    clearRois(this.deps.store);
  }

  async calibrateLock(p: { spanUm?: number | undefined; steps?: number | undefined }) {
    const lock = this.requireLock();
    return this.exclusive('focus-lock calibration', () => lock.calibrate(p));
  }

  requireLock(): FocusLockControl {
    if (!this.lock)
      throw new StateError('No focus lock: the config needs a focus-sensor device and a Z drive');
    return this.lock;
  }

  /** Starts (or resumes) a FLImP run; resolves once it is under way. */
  async start(p: {
    plan?: Record<string, unknown> | undefined;
    name?: string | undefined;
    resume?: string | undefined;
    operator?: string | undefined;
  }): Promise<CommandResult<'automation.start'>> {
    this.assertFree('automation.start');
    const { acquisition, store, log, uploads } = this.deps;
    const root = acquisition.datasetsRoot;
    const uploadTargets = store.state.storage.uploadTargets;
    const checkTarget = (target: unknown) => {
      if (typeof target === 'string' && !uploadTargets.includes(target))
        throw new ValidationError(
          `plan uploadTarget "${target}" is not a configured upload target (have: ${uploadTargets.join(', ') || 'none'})`,
        );
    };
    checkTarget((p.plan as { uploadTarget?: unknown } | undefined)?.uploadTarget);
    const { name, runDir, plan, planJson, resume } = await prepareRunFolder(root, p);
    checkTarget(plan.uploadTarget);
    const cam = this.requireCamera();
    if (cam.isLive()) await cam.stopLive();
    const engine = this.engine();
    const geometryOf = await cameraGeometry(cam, this.orientation);
    const time = this.deps.time ?? realTime;
    const deps: FlimpDeps = {
      engine,
      analysis: {
        autofocus: (o: SoftwareFocus, light, signal) => {
          const { mode: _m, ...rest } = o;
          return this.runAutofocus(
            engine,
            { ...AUTOFOCUS_DEFAULTS, ...rest } as AutofocusParams,
            light,
            signal,
          );
        },
        holdLock: (signal) => this.requireLock().hold(signal),
        lockLost: () => this.lock?.lostReason() ?? null,
        findRois: (px, w, h, o) => time.hold(this.analysis().findRois(px, w, h, o)),
        register: (a, b, w, h) => this.analysis().register(a, b, w, h),
      },
      fieldOfView: () => cameraField(cam, this.orientation),
      geometry: (f) => geometryOf(f.meta),
      openDataset: (spec) =>
        time.hold(openRoiDataset(roiDatasetContext(this.deps, p.operator), spec)),
      isNameTaken: (n) => existsSync(path.join(root, n)),
      enqueueUpload: async (dir, target) => {
        await uploads.enqueue(path.basename(dir), target);
      },
      log: (level, m) => log.log(level, m),
      time,
      wallMs: () => time.epochMs(),
    };
    const run = new FlimpRun(deps, { name, runDir, plan, planJson, resume });
    this.run = run;
    const publish = () =>
      store.update((s) => {
        s.automation = run.status();
      });
    run.subscribe(publish);
    publish();
    log.log('info', `Automation ${name} ${resume ? 'resumed' : 'started'} → ${runDir}`);
    this.finished = run.run().then((v) => {
      publish();
      log.log(
        v.phase === 'finished' ? 'info' : 'warn',
        `Automation ${name} ${v.phase}: ${v.imaged} ROIs imaged, ${v.skipped} skipped`,
      );
    });
    return { dir: runDir, tiles: plan.scan.columns * plan.scan.rows, resumed: resume !== null };
  }

  pause(): void {
    this.requireRun().control.pause();
  }

  resume(): void {
    this.requireRun().control.resume();
  }

  cancel(): void {
    this.requireRun().control.cancel();
  }

  private requireRun(): FlimpRun {
    if (!this.run || !this.running) throw new StateError('No automation run is in progress');
    return this.run;
  }

  /** Resolves when the current automation run (if any) has ended and its report is written. */
  whenIdle(): Promise<unknown> {
    return this.finished;
  }

  async shutdown(): Promise<void> {
    if (this.running) this.run!.control.cancel();
    await this.finished;
    this.lock?.unlock();
    await this.pool?.close();
    this.pool = null;
  }
}
