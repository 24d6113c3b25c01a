/**
 * A run as the host makes it, for the live-archiving tests and bench:archive: frames offered
 * at a fixed rate to a real FramePipeline (writer thread; a full queue drops, as a camera that
 * cannot wait), the writer's final and growing files handed to the upload queue as the host's
 * upload service does, `enqueueRunStart` before the first frame and `enqueueRunEnd` after close.
 */
import { FramePipeline } from '../../../electron/pipeline/frame-pipeline';
import type { DatasetFormat } from '../../../electron/storage/layout';
import { datasetLayout } from '../../../electron/storage/layout';
import type { UploadQueue } from '../../../electron/upload/queue';
import { simFrameMeta, tzFrameIndex } from '../../support/sim-frames';

export interface LiveRunOptions {
  root: string;
  name: string;
  /** Frame side, pixels (uint16). */
  side: number;
  frames: number;
  fps: number;
  format?: DatasetFormat;
  zPlanes?: number;
  /** The queue to archive to (live targets get the files as they are final). */
  queue?: UploadQueue;
  /** Called after each frame offered (e.g. to freeze the network mid-run). */
  onFrame?: (seq: number) => void | Promise<void>;
}

export interface LiveRunResult {
  dir: string;
  framesWritten: number;
  framesDropped: number;
  /** performance.now() when the dataset was closed (manifest written). */
  closedAt: number;
}

export function frameBytes(side: number): number {
  return side * side * 2;
}

/** Opens the run's dataset and queues its live jobs; `run()` then acquires and closes it. */
export async function openLiveRun(
  o: LiveRunOptions,
): Promise<{ dir: string; run: () => Promise<LiveRunResult> }> {
  const zPlanes = o.zPlanes ?? 8;
  const format = o.format ?? 'ome-zarr-0.4';
  const layout = datasetLayout.parse({
    name: o.name,
    format,
    positions: 1,
    sizes: { t: Math.ceil(o.frames / zPlanes), c: 1, z: zPlanes, y: o.side, x: o.side },
    channels: [
      { name: 'sim', colorHex: 'FFFFFF', window: { start: 0, end: 4095, min: 0, max: 65535 } },
    ],
    physical: { pixelSizeUm: 0.1, zStepUm: 0.5, timeIntervalS: 1 },
    shardPlanes: format === 'ome-zarr-0.5' ? 4 : 1,
  });
  let dir = '';
  const queue = o.queue;
  let started: Promise<unknown> = Promise.resolve();
  const p = await FramePipeline.open({
    root: o.root,
    layout,
    provenance: { appVersion: 'test', operator: 'test', config: null },
    onFileFinal: (f) => void started.then(() => queue?.fileFinal(dir, f)),
    onFileGrowing: (f) => void started.then(() => queue?.fileGrowing(dir, f)),
  });
  dir = p.dir;
  started = queue?.enqueueRunStart(dir) ?? Promise.resolve();
  await started;
  const run = async (): Promise<LiveRunResult> => {
    const t0 = performance.now();
    const total = layout.sizes.t * zPlanes;
    for (let seq = 0; seq < total; seq++) {
      const pixels = p.takeBuffer(frameBytes(o.side));
      const px = new Uint32Array(pixels);
      // distinct content per frame (a gateway or a bug that mixes parts up is caught)
      for (let i = 0; i < px.length; i += 1024) px[i] = seq * 1_000_003 + i;
      p.offer({ meta: simFrameMeta(seq, o.side), pixels }, tzFrameIndex(seq, zPlanes));
      await o.onFrame?.(seq);
      const wait = t0 + ((seq + 1) * 1000) / o.fps - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const summary = await p.close({ outcome: 'complete' });
    const closedAt = performance.now();
    await queue?.enqueueRunEnd(dir);
    return {
      dir,
      framesWritten: summary.framesWritten,
      framesDropped: summary.framesDropped,
      closedAt,
    };
  };
  return { dir, run };
}
