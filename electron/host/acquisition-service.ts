/**
 * Runs acquisitions in the host: plan (useq MDASequence) → events → MdaRunner on the
 * guarded devices → FramePipeline (lossless writer thread) → dataset folder. One run at a
 * time; its status is mirrored into AppState.run; run frames are shown on the display bus
 * (copied, at most DISPLAY_MS apart). Datasets left open by a crash are recovered at start.
 */
import os from 'node:os';
import path from 'node:path';
import type { SimClock } from '../../drivers/sim/sim-clock';
import { StateError, ValidationError } from '../../drivers/errors';
import type { CommandResult, DatasetEntry, RunView } from '../api/contract';
import type { AquilaConfig } from '../config/schema';
import { FramePipeline } from '../pipeline/frame-pipeline';
import type { FinalFile as DatasetFileFinal, GrowingFile } from '../pipeline/writer-messages';
import { checkPlan, formatProblems, type PlanProblem } from '../plans/check';
import { layoutFor } from '../plans/prepare';
import { planBinding, type CameraGeometry } from '../plans/resolve';
import { estimatePlan } from '../plans/estimate';
import { parsePlan } from '../plans/load';
import { expandSequence } from '../plans/expand';
import { gridOutlines } from '../plans/grid-outlines';
import { planXyPath } from '../plans/xy-path';
import { showingFrames } from '../runner/showing-engine';
import { axisSizes, runPosition } from '../runner/run-position';
import { DeviceEngine } from '../runner/device-engine';
import { MdaRunner } from '../runner/mda-runner';
import type { MdaEvent } from '../plans/events';
import type { AcquisitionEngine, RunStatus } from '../runner/types';
import type { AutoShutter } from '../safety/auto-shutter';
import { guardDevices } from '../safety/guarded-devices';
import type { SafetyLayer } from '../safety/safety-layer';
import { listDatasets } from './dataset-list';
import type { DatasetFormat } from '../storage/layout';
import { recoverDatasets } from '../storage/recovery';
import type { DeviceManager } from './device-manager';
import type { FrameBus } from './frame-bus';
import type { Logger } from './logger';
import type { StateStore } from './state-store';
import { APP_VERSION } from './version';

const DISPLAY_MS = 100;

/** Carries out one autofocus event (useq `autofocus_plan`) with the run's engine. */
export type EventAutofocus = (event: MdaEvent, engine: AcquisitionEngine) => Promise<void>;

export interface StartRunParams {
  plan: Record<string, unknown>;
  name?: string | undefined;
  format?: DatasetFormat | undefined;
  operator?: string | undefined;
}

export function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

function timestampName(d = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

export class AcquisitionService {
  readonly datasetsRoot: string;
  private runner: MdaRunner | null = null;
  private pipeline: FramePipeline | null = null;
  private finished: Promise<unknown> = Promise.resolve();
  private readonly endListeners = new Set<(view: RunView) => void>();
  private readonly startListeners = new Set<(run: { dir: string }) => void>();
  private readonly fileListeners = new Set<
    (dir: string, file: DatasetFileFinal | GrowingFile) => void
  >();
  private eventAutofocus: EventAutofocus | null = null;

  constructor(
    private readonly deps: {
      config: AquilaConfig;
      store: StateStore;
      safety: SafetyLayer;
      devices: DeviceManager;
      bus: FrameBus;
      log: Logger;
      /** Who may control and what they did, recorded in each dataset's provenance (issue #13 §5). */
      accessProvenance?: () => unknown;
      /** Runs follow its on/off mode (strict per-frame light); absent: the line stays on. */
      shutter?: AutoShutter;
      /** Issue #15: the simulated time runs are scheduled on in a dry run; default real time. */
      time?: SimClock;
    },
  ) {
    this.datasetsRoot = path.resolve(expandHome(deps.config.storage.datasetsRoot));
  }

  /** Recovers datasets a crash left open, then lists the datasets folder into state. */
  init(): void {
    const { log } = this.deps;
    try {
      const r = recoverDatasets(this.datasetsRoot);
      for (const s of r.recovered)
        log.log('warn', `Recovered interrupted dataset ${s.dir}: ${s.framesWritten} frames intact`);
      for (const f of r.failed)
        log.log('error', `Could not recover dataset ${f.dir}: ${f.message}`);
    } catch (err) {
      log.log(
        'error',
        `Dataset recovery in ${this.datasetsRoot} failed: ${(err as Error).message}`,
      );
    }
    this.refreshDatasets();
  }

  /** Called with the final view when a run ends (upload auto-enqueue hooks in here). */
  onRunEnd(listener: (view: RunView) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /**
   * Frames, bytes and duration of a plan on this instrument (model: electron/plans/estimate.ts),
   * and every problem that would stop it or make it useless (electron/plans/check.ts).
   */
  estimate(plan: Record<string, unknown>): {
    events: number;
    frames: number;
    bytes: number;
    durationS: number;
    problems: PlanProblem[];
  } {
    const checked = checkPlan(
      parsePlan(JSON.stringify(plan), 'plan'),
      this.deps.config,
      this.connectedGeometry(),
    );
    const e = estimatePlan(checked.events, checked.binding);
    const { events, frames, bytes, durationS } = e;
    return { events, frames, bytes, durationS, problems: checked.problems };
  }

  /** Issue #17: the XY positions a plan visits, in order, for the navigator's map. */
  positions(plan: Record<string, unknown>): CommandResult<'plan.positions'> {
    const binding = planBinding(this.deps.config, this.connectedGeometry());
    const seq = parsePlan(JSON.stringify(plan), 'plan');
    const events = expandSequence(seq, { fovUm: binding.fovUm });
    return { positions: planXyPath(events), outlines: gridOutlines(seq), fovUm: binding.fovUm };
  }

  /** How runs carry out useq autofocus events (the automation service provides it). */
  setEventAutofocus(hook: EventAutofocus): void {
    this.eventAutofocus = hook;
  }

  /** The connected camera's sensor (for cameras whose config has no geometry, e.g. GenICam). */
  private connectedGeometry(): CameraGeometry | null {
    const sensor = this.deps.devices.camera?.sensor;
    if (!sensor || sensor.widthPx <= 0) return null;
    return { widthPx: sensor.widthPx, heightPx: sensor.heightPx, pixelSizeUm: sensor.pixelSizeUm };
  }

  onRunStart(listener: (run: { dir: string }) => void): () => void {
    this.startListeners.add(listener);
    return () => this.startListeners.delete(listener);
  }

  /**
   * A file of the running dataset is complete and hashed, or (the OME-TIFF) has grown a final
   * prefix: live archiving hooks in here.
   */
  onDatasetFile(listener: (dir: string, file: DatasetFileFinal | GrowingFile) => void): () => void {
    this.fileListeners.add(listener);
    return () => this.fileListeners.delete(listener);
  }

  async start(p: StartRunParams): Promise<{ dir: string; eventTotal: number }> {
    if (this.runner && !['finished', 'failed', 'cancelled'].includes(this.runner.status().state)) {
      throw new StateError('A run is already in progress: pause, cancel or wait for it');
    }
    const { config, store, safety, devices, bus, log } = this.deps;
    if (safety.estopLatched)
      throw new StateError('E-stop is latched: reset it before starting a run');
    const camera = devices.camera;
    if (!camera) throw new StateError('No camera is configured');
    const seq = parsePlan(JSON.stringify(p.plan), 'run.start plan');
    const checked = checkPlan(seq, config, this.connectedGeometry());
    const errors = checked.problems.filter((x) => x.severity === 'error');
    const prepared = checked.prepared;
    if (errors.length > 0 || !prepared)
      throw new ValidationError(
        `run.start plan cannot run on this instrument:\n  ${formatProblems(errors).join('\n  ')}`,
        { problems: errors },
      );
    for (const line of formatProblems(checked.problems.filter((x) => x.severity === 'warning')))
      log.log('warn', `Run plan ${line}`);
    if (prepared.events.length === 0)
      throw new ValidationError('run.start plan: the plan expands to no events');
    const name = p.name ?? timestampName();
    const format = p.format ?? config.storage.format;
    const layout = layoutFor(prepared, config, name, format);
    // The frame size and pixel size the camera delivers now (binning, ROI).
    const [binning, roi] = await Promise.all([camera.getBinning(), camera.getRoi()]);
    layout.sizes.x = roi?.widthPx ?? Math.floor(camera.sensor.widthPx / binning);
    layout.sizes.y = roi?.heightPx ?? Math.floor(camera.sensor.heightPx / binning);
    layout.physical.pixelSizeUm = camera.sensor.pixelSizeUm * binning;
    if (format === 'ome-zarr-0.5') layout.shardPlanes = config.storage.shardPlanes;
    if (camera.isLive()) {
      await camera.stopLive();
      await this.deps.shutter?.liveStopped('live stopped for a run');
    }

    let runDir = '';
    const pipeline = await FramePipeline.open({
      onFileFinal: (f) => {
        for (const l of this.fileListeners) l(runDir, f);
      },
      onFileGrowing: (f) => {
        for (const l of this.fileListeners) l(runDir, f);
      },
      root: this.datasetsRoot,
      layout,
      provenance: {
        appVersion: APP_VERSION,
        operator: p.operator ?? os.userInfo().username,
        config: { ...config, upload: undefined },
        plan: p.plan,
        deviceStates: store.state,
        access: this.deps.accessProvenance?.() ?? null,
      },
      logger: log,
    });
    runDir = pipeline.dir;
    const { shutter } = this.deps;
    const inner = new DeviceEngine({
      ...guardDevices(devices, safety),
      camera,
      ...(shutter && { autoShutter: () => shutter.auto }),
      doseMwMs: (from, to) => safety.emission.doseMwMs(from, to),
    });
    const engine: AcquisitionEngine = showingFrames(
      // Issue #17: every run frame also goes to the navigator's mosaic feed (bus.note).
      showingFrames(
        inner,
        (f) => {
          const { seq: _seq, ...meta } = f.meta;
          bus.note(meta, f.pixels);
        },
        0,
      ),
      (f) => {
        const { seq: _seq, ...meta } = f.meta;
        bus.publishCopy(meta, f.pixels);
      },
      DISPLAY_MS,
    );
    const autofocus = this.eventAutofocus;
    if (autofocus) engine.autofocus = (e) => autofocus(e, engine);
    const runner = new MdaRunner({
      events: prepared.events,
      engine,
      sink: pipeline,
      presets: prepared.binding.presets,
      indexOf: prepared.shape.indexOf,
      ...(this.deps.time && runnerTime(this.deps.time)),
    });
    this.runner = runner;
    this.pipeline = pipeline;
    // The plan is sent once per run (issue #18 §4), not with every status patch.
    const publish = (status: RunStatus) =>
      store.update((s) => {
        const view = this.view(status, name, pipeline.dir, format);
        const current = runPosition(prepared.events, status.eventIndex);
        if (s.run?.dir === pipeline.dir) Object.assign(s.run, view, { current });
        else s.run = { ...view, current, plan: p.plan, axisSizes: axisSizes(prepared.events) };
      });
    runner.subscribe(publish);
    publish(runner.status());
    log.log('info', `Run ${name} started: ${prepared.events.length} events → ${pipeline.dir}`);
    for (const l of this.startListeners) l({ dir: pipeline.dir });
    this.finished = runner.run().then((final) => {
      publish(final);
      const view = this.view(final, name, pipeline.dir, format);
      log.log(
        final.state === 'finished' ? 'info' : 'warn',
        `Run ${name} ${final.state}: ${final.framesWritten} frames written`,
      );
      this.refreshDatasets();
      for (const l of this.endListeners) l(view);
    });
    this.refreshDatasets();
    return { dir: pipeline.dir, eventTotal: prepared.events.length };
  }

  pause(): void {
    this.requireRunner().pause();
  }

  resume(): void {
    this.requireRunner().resume();
  }

  cancel(): void {
    this.requireRunner().cancel();
  }

  /** Resolves when the current run (if any) has ended and its dataset is closed. */
  whenIdle(): Promise<unknown> {
    return this.finished;
  }

  /** Host shutdown: cancel a running run and wait for its dataset to close. */
  async shutdown(): Promise<void> {
    const r = this.runner;
    if (r && (r.status().state === 'running' || r.status().state === 'paused')) r.cancel();
    await this.finished;
  }

  refreshDatasets(): void {
    let list: DatasetEntry[] = [];
    try {
      list = listDatasets(this.datasetsRoot);
    } catch (err) {
      this.deps.log.log(
        'warn',
        `Cannot list datasets in ${this.datasetsRoot}: ${(err as Error).message}`,
      );
    }
    this.deps.store.update((s) => {
      s.datasets = list;
    });
  }

  private requireRunner(): MdaRunner {
    if (!this.runner) throw new StateError('No run has been started');
    return this.runner;
  }

  private view(st: RunStatus, name: string, dir: string, format: string): RunView {
    return {
      name,
      dir,
      format,
      state: st.state,
      pauseRequested: st.pauseRequested,
      eventIndex: st.eventIndex,
      eventTotal: st.eventTotal,
      framesWritten: st.framesWritten,
      framesDropped: this.pipeline?.stats.framesDropped ?? 0,
      bytesWritten: st.bytesWritten,
      dataRateBytesPerS: st.dataRateBytesPerS,
      etaS: st.etaS,
      startedAtMs: st.startedAtMs,
      endedAtMs: st.endedAtMs,
      errors: st.errors.map((e) => ({ eventIndex: e.eventIndex, message: e.error.message })),
      // Already serialized by the runner (a SerializedError, not an Error).
      failure: st.failure,
    };
  }
}

/** A run's scheduling clock and status timestamps on `time`. */
function runnerTime(time: SimClock) {
  return {
    now: () => time.now(),
    after: (ms: number, fn: () => void) => time.after(ms, fn),
    hold: <T>(work: Promise<T>) => time.hold(work),
    wallMs: () => time.epochMs(),
  };
}
