/**
 * One ROI of a FLImP run: centre it, focus, then acquire time points under the plan's laser
 * programme into the ROI's own dataset until its signal falls below `stopFraction` of the
 * first time point's (after `minFrames`) or `maxFrames` is reached. QC: drift between the
 * first and last frame by phase correlation (nm). Lasers are off when this returns or throws.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StateError, serializeError } from '../../../drivers/errors';
import { realTime } from '../../../drivers/sim/sim-clock';
import type { AcquiredFrame } from '../../runner/types';
import { stageToPixel } from '../pixel-to-stage';
import { driftFromShift, type XYUm } from './drift-correction';
import { runFocusStep } from './focus-step';
import type { FocusRecord, JournalRoi } from './journal';
import type { RoiEnd } from './run-view';
import type { FlimpPlan } from './plan-schema';
import { thumbnailPng } from './png';
import { traced } from './step-trace';
import { roiSignal, signalRadiusFor } from './roi-signal';
import { RunStopped, type RunControl } from './run-control';
import type { FieldOfView, FlimpDeps, RoiDataset, RoiDatasetSpec } from './types';

export const ROI_THUMB_PX = 96;
/** Signals kept per ROI in the journal (evenly thinned beyond this). */
const MAX_SIGNALS = 400;

export interface RoiContext {
  deps: FlimpDeps;
  plan: FlimpPlan;
  runDir: string;
  control: RunControl;
  /** The ROI's dataset (possibly opened ahead of time, see FlimpRun). */
  openDataset(): Promise<RoiDataset>;
  /** Called when the ROI's dataset folder exists (before the first frame). */
  onDataset(dir: string): Promise<void>;
  /** Called after each time point; `frames` time points are written. */
  onFrame(frames: number): void;
}

/** What an ROI's dataset holds: `maxFrames` time points of the programme's channels. */
export function roiDatasetSpec(
  plan: FlimpPlan,
  fov: FieldOfView,
  name: string,
  roi: JournalRoi,
): RoiDatasetSpec {
  const p = plan.roi;
  return {
    name,
    widthPx: fov.widthPx,
    heightPx: fov.heightPx,
    timePoints: p.maxFrames,
    channels: p.programme,
    pixelSizeUm: fov.pixelUm,
    intervalS: p.intervalMs > 0 ? p.intervalMs / 1000 : 1,
    format: plan.format,
    plan: { ...plan, roiOf: roi },
  };
}

export function roiDatasetName(runName: string, id: number, attempt: number): string {
  const base = `${runName}-roi-${String(id).padStart(3, '0')}`;
  return attempt > 1 ? `${base}-a${attempt}` : base;
}

function thin(values: number[]): number[] {
  if (values.length <= MAX_SIGNALS) return values;
  const step = values.length / MAX_SIGNALS;
  return Array.from({ length: MAX_SIGNALS }, (_, i) => values[Math.floor(i * step)]!);
}

/**
 * Centres, focuses and acquires the ROI's time series; resolves when the last frame is
 * taken, with `finished`: registration, dataset close and upload queueing, which run on
 * while the next ROI starts (they use the worker and writer threads, not the hardware).
 */
export async function imageRoi(
  ctx: RoiContext,
  roi: JournalRoi,
  /** Centre of the ROI's tile, where it is imaged when the plan does not centre ROIs. */
  tileAt: { xUm: number; yUm: number },
  /** Drift correction added to the ROI's (and its tile's) found position. */
  correctionUm: XYUm = { xUm: 0, yUm: 0 },
): Promise<{ finished: Promise<RoiEnd> }> {
  const { deps, plan, control } = ctx;
  const { engine } = deps;
  const p = plan.roi;
  const startedAtMs = (deps.wallMs ?? Date.now)();
  const shifted = (q: XYUm) => ({ xUm: q.xUm + correctionUm.xUm, yUm: q.yUm + correctionUm.yUm });
  const stageUm = shifted(p.centre ? roi : tileAt);
  await traced('roi.move', () => engine.setupEvent(stageUm));
  const focus: FocusRecord | null = await traced('roi.focus', () =>
    runFocusStep(p.focus, p.programme[0]!, deps, control.signal),
  );
  const fov = await deps.fieldOfView();
  const dataset = await traced('roi.dataset-wait', () => ctx.openDataset());
  let r: SeriesResult;
  try {
    await traced('roi.journal', () => ctx.onDataset(dataset.dir));
    r = await traced('roi.series', () => timeSeries(ctx, { ...roi, ...shifted(roi) }, dataset));
  } catch (err) {
    await engine.lasersOff().catch(() => undefined);
    const outcome = err instanceof RunStopped && err.kind === 'cancelled' ? 'cancelled' : 'failed';
    await dataset.close({ outcome, reason: serializeError(err).message }).catch(() => undefined);
    throw err;
  }
  const finish = async (): Promise<RoiEnd> => {
    // The thumbnail (this thread), registration (worker thread) and closing the dataset
    // (writer thread) overlap each other and the next ROI's imaging. The thumbnail's copy
    // of the first frame is taken first: registration may take (transfer) its pixels.
    const [thumbnail, drift] = await Promise.all([
      r.first && r.centrePx
        ? traced('roi.thumbnail', () =>
            writeRoiThumb(ctx.runDir, roi.id, r.first!.slice(), r, r.centrePx!, r.radiusPx),
          )
        : null,
      r.first && r.last && r.frames > 1
        ? traced('roi.register', () =>
            deps.analysis.register(r.first!, r.last!, r.widthPx, r.heightPx),
          )
        : null,
      traced('roi.close', () => dataset.close({ outcome: 'complete' })),
    ]);
    if (plan.uploadTarget && deps.enqueueUpload)
      await deps
        .enqueueUpload(dataset.dir, plan.uploadTarget)
        .catch((err: unknown) =>
          deps.log('error', `ROI ${roi.id}: upload not queued: ${serializeError(err).message}`),
        );
    const driftUm = drift ? driftFromShift(drift, fov.pixelUm, fov.orientation) : null;
    return {
      t: 'roi-end',
      id: roi.id,
      outcome: 'imaged',
      dataset: dataset.dir,
      frames: r.frames,
      signals: thin(r.signals),
      focus,
      driftNm: driftUm ? Math.hypot(driftUm.xUm, driftUm.yUm) * 1000 : null,
      driftConfidence: drift ? drift.confidence : null,
      driftUm,
      driftSpanMs: driftUm ? r.lastAtMs - r.firstAtMs : null,
      stageUm,
      correctionUm,
      exposureMsTotal: r.exposureMs,
      thumbnail,
      startedAtMs,
      atMs: (deps.wallMs ?? Date.now)(),
    };
  };
  // Real work, like the frame writes: the instrument's clock does not skip ahead over it.
  return { finished: (deps.time ?? realTime).hold(finish()) };
}

interface SeriesResult {
  frames: number;
  signals: number[];
  exposureMs: number;
  first: Uint16Array | null;
  last: Uint16Array | null;
  /** End of exposure of the first and last frames (frame metadata), epoch ms. */
  firstAtMs: number;
  lastAtMs: number;
  widthPx: number;
  heightPx: number;
  /** The ROI's centre in the frame and its signal radius, px (for the thumbnail). */
  centrePx: { xPx: number; yPx: number } | null;
  radiusPx: number;
}

async function timeSeries(
  ctx: RoiContext,
  roi: JournalRoi,
  dataset: RoiDataset,
): Promise<SeriesResult> {
  const { deps, plan, control } = ctx;
  const { engine } = deps;
  const p = plan.roi;
  const radius = p.signalRadiusPx ?? signalRadiusFor(roi.areaPx);
  const setup = (c: number) => {
    const l = p.programme[c]!;
    return engine.setupEvent({
      channel: { name: l.name ?? l.laserId, laserId: l.laserId, powerMw: l.powerMw },
      exposureMs: l.exposureMs,
    });
  };
  const single = p.programme.length === 1;
  if (single) await setup(0);
  const out: SeriesResult = {
    frames: 0,
    signals: [],
    exposureMs: 0,
    first: null,
    last: null,
    firstAtMs: 0,
    lastAtMs: 0,
    widthPx: 0,
    heightPx: 0,
    centrePx: null,
    radiusPx: radius,
  };
  const time = deps.time ?? realTime;
  const t0 = time.now();
  let at: { xPx: number; yPx: number } | null = null;
  for (let t = 0; t < p.maxFrames; t++) {
    await control.checkpoint(() => engine.lasersOff());
    if (p.intervalMs > 0) await control.sleep(t0 + t * p.intervalMs - time.now());
    for (let c = 0; c < p.programme.length; c++) {
      if (!single) await setup(c);
      const frame: AcquiredFrame = await traced('frame.acquire', () =>
        engine.acquireFrame(dataset.takeBuffer?.()),
      );
      const { widthPx: w, heightPx: h } = frame.meta;
      if (c === 0) {
        at ??= out.centrePx = stageToPixel(deps.geometry(frame), roi);
        out.signals.push(roiSignal(frame.pixels, w, h, at, radius));
        out.widthPx = w;
        out.heightPx = h;
        out.lastAtMs = frame.meta.timestampMs;
        if (!out.first) {
          out.firstAtMs = out.lastAtMs;
          out.first = frame.pixels.slice();
        } else (out.last ??= new Uint16Array(frame.pixels.length)).set(frame.pixels);
      }
      out.exposureMs += frame.meta.exposureMs;
      const channel = p.programme[c]!.name ?? p.programme[c]!.laserId;
      await traced('frame.write', () => time.hold(dataset.write(frame, t, c, channel)));
    }
    out.frames = t + 1;
    ctx.onFrame(out.frames);
    const lost = p.focus.mode === 'lock' ? deps.analysis.lockLost?.() : null;
    if (lost) throw new StateError(`focus lock lost after ${out.frames} time points: ${lost}`);
    if (p.intervalMs > 0 || !single) await engine.lasersOff();
    const start = out.signals[0] ?? 0;
    const now = out.signals[t] ?? 0;
    if (out.frames >= p.minFrames && (start <= 0 || now < p.stopFraction * start)) break;
  }
  await traced('roi.lasers-off', () => engine.lasersOff());
  return out;
}

async function writeRoiThumb(
  runDir: string,
  id: number,
  pixels: Uint16Array,
  { widthPx: w, heightPx: h }: { widthPx: number; heightPx: number },
  at: { xPx: number; yPx: number },
  radius: number,
): Promise<string> {
  const half = Math.max(16, radius * 3);
  const rel = path.join('thumbs', `roi-${String(id).padStart(3, '0')}.png`);
  await mkdir(path.join(runDir, 'thumbs'), { recursive: true });
  const region = { xPx: at.xPx - half, yPx: at.yPx - half, widthPx: 2 * half, heightPx: 2 * half };
  await writeFile(path.join(runDir, rel), thumbnailPng(pixels, w, h, ROI_THUMB_PX, region));
  return rel;
}
