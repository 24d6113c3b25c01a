/**
 * Analysis hand-off fixtures: a real closed dataset (the dataset writer, one 8×8 plane per
 * position), archived on a filesystem target by the real upload queue, whose "verified on
 * target" hands it to an AnalysisQueue.
 */
import { analysisConfig, type AnalysisConfigInput } from '../../../electron/analysis/config';
import { AnalysisQueue, type AnalysisQueueOptions } from '../../../electron/analysis/queue';
import type { AnalysisView } from '../../../electron/api/analysis-schema';
import { DatasetWriter } from '../../../electron/storage/dataset-writer';
import { datasetLayout } from '../../../electron/storage/layout';
import { uploadConfig, type UploadConfig } from '../../../electron/upload/config';
import { UploadQueue } from '../../../electron/upload/queue';

export function writeDataset(root: string, name: string, positions: number, operator: string) {
  const layout = datasetLayout.parse({
    name,
    positions,
    sizes: { t: 1, c: 1, z: 1, y: 8, x: 8 },
    channels: [{ name: 'GFP', colorHex: '00FF00', window: { start: 0, end: 10, min: 0, max: 10 } }],
    physical: { pixelSizeUm: 0.5, zStepUm: 1, timeIntervalS: 1 },
  });
  const w = DatasetWriter.create({
    root,
    layout,
    provenance: { appVersion: 'test', operator, config: null },
  });
  return { writer: w, layout };
}

export async function closedDataset(root: string, name: string, positions = 2, operator = 'ada') {
  const { writer, layout } = writeDataset(root, name, positions, operator);
  for (let p = 0; p < positions; p++)
    await writer.writeFrame(
      { p, t: 0, c: 0, z: 0 },
      {
        seq: p,
        cameraSeq: p,
        widthPx: 8,
        heightPx: 8,
        bitDepth: 16,
        binning: 1,
        pixelSizeUm: 0.5,
        exposureMs: 1,
        timestampMs: 1_700_000_000_000 + p,
        stage: { xUm: p, yUm: 0, zUm: 0 },
        lasersMw: {},
        channel: 'GFP',
      },
      new Uint8Array(layout.sizes.x * layout.sizes.y * 2).fill(p + 1),
    );
  await writer.settled();
  writer.close({ outcome: 'complete' }, 0);
  return writer.dir;
}

export function fsUpload(dest: string): UploadConfig {
  return uploadConfig.parse({
    targets: [{ name: 'cephfs', kind: 'filesystem', path: dest }],
    retry: { baseMs: 20, maxMs: 50, maxAttempts: 1 },
  });
}

/** An upload queue whose verification hands datasets to `analysis` (as the host wires them). */
export async function archiveAndHandOff(
  upload: UploadConfig,
  journalDir: string,
  analysis: AnalysisQueue,
  dataset: string,
): Promise<void> {
  const q = await UploadQueue.open({
    config: upload,
    journalDir,
  });
  q.onVerified((e) => void analysis.datasetVerified(e.dataset, e.target));
  try {
    await q.enqueue(dataset, 'cephfs');
    q.start();
    await q.whenIdle();
    const s = q.snapshot()[0];
    if (s?.state !== 'done') throw new Error(`upload ${s?.state}: ${s?.reason}`);
  } finally {
    await q.close();
  }
}

export function openAnalysis(
  config: AnalysisConfigInput,
  rest: Omit<AnalysisQueueOptions, 'config'>,
): AnalysisQueue {
  return AnalysisQueue.open({ config: analysisConfig.parse(config), ...rest });
}

export async function settled(
  q: AnalysisQueue,
  ok: (v: AnalysisView) => boolean,
  timeoutMs = 30_000,
): Promise<AnalysisView> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = q.snapshot()[0];
    if (v && ok(v)) return v;
    if (Date.now() > end)
      throw new Error(`analysis did not settle; last: ${JSON.stringify(v ?? null)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
