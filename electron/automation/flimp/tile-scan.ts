/**
 * The tiles of a FLImP run (`tileCentres`: the plan's grid around the scan centre) and one
 * tile in two parts: the hardware (move there, focus, snap under the
 * tile illumination: `snapTile`) and the analysis (find ROIs, map them to stage µm, drop
 * those an earlier tile already found (tile overlap), thumbnail: `analyseTile`), which may
 * run on while the hardware does other things (tile-pipeline.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fieldExtentUm } from '../../api/shared/orientation';
import { frameRectUm, pixelToStage } from '../pixel-to-stage';
import { runFocusStep } from './focus-step';
import { gridPoints } from '../../plans/grid-plan';
import type { AcquiredFrame } from '../../runner/types';
import type { FlimpRecord, FocusRecord, JournalRoi } from './journal';
import type { FlimpPlan } from './plan-schema';
import { thumbnailPng } from './png';
import { traced } from './step-trace';
import type { FieldOfView, FlimpDeps } from './types';

export const TILE_THUMB_PX = 256;

/**
 * The stage centres of the plan's tiles in scan order, the grid centred on `centre`; tiles
 * step by the field's extent along each stage axis (a turned camera swaps width and height).
 */
export function tileCentres(
  plan: FlimpPlan,
  fov: FieldOfView,
  centre: { xUm: number; yUm: number },
): { xUm: number; yUm: number }[] {
  const extent = fieldExtentUm(fov.orientation, fov.widthPx, fov.heightPx, fov.pixelUm);
  return gridPoints(
    {
      kind: 'rows_columns',
      rows: plan.scan.rows,
      columns: plan.scan.columns,
      relative_to: 'center',
      overlap: [plan.scan.overlap * 100, plan.scan.overlap * 100],
      mode: plan.scan.serpentine ? 'row_wise_snake' : 'row_wise',
      fov_width: extent.xUm,
      fov_height: extent.yUm,
    },
    Math.random,
  ).map((p) => ({ xUm: centre.xUm + p.x, yUm: centre.yUm + p.y }));
}

/** A tile's frame, taken: the hardware part of its scan. */
export interface TileSnap {
  index: number;
  frame: AcquiredFrame;
  focus: FocusRecord | null;
  /** When the frame was taken (its ROIs' positions hold at this time). */
  foundAtMs: number;
}

/** Moves to the tile, focuses and snaps it under the tile illumination (lasers off after). */
export async function snapTile(
  deps: FlimpDeps,
  plan: FlimpPlan,
  index: number,
  at: { xUm: number; yUm: number },
  signal: AbortSignal,
): Promise<TileSnap> {
  const { engine } = deps;
  const light = plan.tileIllumination;
  await traced('tile.move', () => engine.setupEvent({ xUm: at.xUm, yUm: at.yUm }));
  const focus = await traced('tile.focus', () => runFocusStep(plan.tileFocus, light, deps, signal));
  await traced('tile.setup', () =>
    engine.setupEvent({
      channel: {
        name: light.name ?? light.laserId,
        laserId: light.laserId,
        powerMw: light.powerMw,
      },
      exposureMs: light.exposureMs,
    }),
  );
  try {
    const frame = await traced('tile.snap', () => engine.acquireFrame());
    return { index, frame, focus, foundAtMs: (deps.wallMs ?? Date.now)() };
  } finally {
    await traced('tile.lasers-off', () => engine.lasersOff());
  }
}

/**
 * The CPU part of a tile's scan (no hardware): finds its ROIs (analysis worker) and writes
 * its thumbnail at once, then waits for `known` — the ROIs of every tile before it — to
 * drop duplicates and number its ROIs after them.
 */
export async function analyseTile(
  deps: FlimpDeps,
  plan: FlimpPlan,
  runDir: string,
  { index, frame, focus, foundAtMs }: TileSnap,
  known: Promise<readonly JournalRoi[]>,
): Promise<Extract<FlimpRecord, { t: 'tile' }>> {
  const { analysis } = deps;
  const { widthPx: w, heightPx: h } = frame.meta;
  const g = deps.geometry(frame);
  const thumb = path.join('thumbs', `tile-${String(index).padStart(3, '0')}.png`);
  // The analysis may take the pixels (transferred to a worker): it gets a copy, so the
  // thumbnail is made on this thread while it runs.
  const finding = traced('tile.find', () =>
    analysis.findRois(frame.pixels.slice(), w, h, plan.rois),
  );
  try {
    await traced('tile.thumbnail', async () => {
      const png = thumbnailPng(frame.pixels, w, h, TILE_THUMB_PX);
      await mkdir(path.join(runDir, 'thumbs'), { recursive: true });
      await writeFile(path.join(runDir, thumb), png);
    });
  } catch (err) {
    await finding.catch(() => undefined);
    throw err;
  }
  const found = await traced('tile.find-wait', () => finding);
  const before = await known;
  const rois: JournalRoi[] = [];
  let duplicates = 0;
  const near = (a: { xUm: number; yUm: number }, b: { xUm: number; yUm: number }) =>
    Math.hypot(a.xUm - b.xUm, a.yUm - b.yUm) <= plan.duplicateWithinUm;
  for (const f of found) {
    const s = pixelToStage(g, f);
    if (before.some((k) => near(k, s)) || rois.some((k) => near(k, s))) {
      duplicates++;
      continue;
    }
    rois.push({
      id: before.length + rois.length,
      tile: index,
      xUm: s.xUm,
      yUm: s.yUm,
      xPx: f.xPx,
      yPx: f.yPx,
      areaPx: f.areaPx,
      meanIntensity: f.meanIntensity,
      score: f.score,
    });
  }
  const rect = frameRectUm(g, w, h);
  return {
    t: 'tile',
    index,
    xUm: g.stageXUm,
    yUm: g.stageYUm,
    widthUm: rect.widthUm,
    heightUm: rect.heightUm,
    focus,
    rois,
    duplicates,
    thumbnail: thumb,
    foundAtMs,
    atMs: (deps.wallMs ?? Date.now)(),
  };
}
