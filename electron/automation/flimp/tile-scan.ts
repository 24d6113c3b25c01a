/**
 * One tile of a FLImP run: move there, focus, snap under the tile illumination, find ROIs,
 * map them to stage µm and drop those an earlier tile already found (tile overlap).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { frameRectUm, pixelToStage } from '../pixel-to-stage';
import { runFocusStep } from './focus-step';
import type { FlimpRecord, JournalRoi } from './journal';
import type { FlimpPlan } from './plan-schema';
import { thumbnailPng } from './png';
import { traced } from './step-trace';
import type { FlimpDeps } from './types';

export const TILE_THUMB_PX = 256;

export async function scanTile(
  deps: FlimpDeps,
  plan: FlimpPlan,
  runDir: string,
  index: number,
  at: { xUm: number; yUm: number },
  known: readonly JournalRoi[],
  signal: AbortSignal,
): Promise<Extract<FlimpRecord, { t: 'tile' }>> {
  const { engine, analysis } = deps;
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
  let frame;
  let foundAtMs: number;
  try {
    frame = await traced('tile.snap', () => engine.acquireFrame());
    foundAtMs = (deps.wallMs ?? Date.now)();
  } finally {
    await traced('tile.lasers-off', () => engine.lasersOff());
  }
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
  const rois: JournalRoi[] = [];
  let duplicates = 0;
  const near = (a: { xUm: number; yUm: number }, b: { xUm: number; yUm: number }) =>
    Math.hypot(a.xUm - b.xUm, a.yUm - b.yUm) <= plan.duplicateWithinUm;
  for (const f of found) {
    const s = pixelToStage(g, f);
    if (known.some((k) => near(k, s)) || rois.some((k) => near(k, s))) {
      duplicates++;
      continue;
    }
    rois.push({
      id: known.length + rois.length,
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
