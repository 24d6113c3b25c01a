/**
 * Child process for the kill -9 test: writes a run through the real FramePipeline and prints
 * `{"p","t","c","z"}` per frame once the pipeline reports it written. Usage:
 * crash-child ROOT FORMAT NAME. Bundled by the test with esbuild (fast start-up).
 */
import { FramePipeline } from '../../../electron/pipeline/frame-pipeline';
import type { DatasetFormat, FrameIndex } from '../../../electron/storage/layout';
import { allIndices, metaFor, smallLayout } from '../storage/fixtures';
import { patternPlane } from '../storage/pattern';

const [root, format, name] = process.argv.slice(2) as [string, DatasetFormat, string];
const layout = smallLayout(format, {
  name,
  positions: 1,
  sizes: { t: 120, c: 2, z: 4, y: 256, x: 256 },
  shardPlanes: 3,
});
const pipeline = await FramePipeline.open({
  root,
  layout,
  provenance: { appVersion: 'test', operator: 'crash-test', config: null },
  queueBytes: 4 * 256 * 256 * 2,
  onWritten: (i: FrameIndex) => process.stdout.write(JSON.stringify(i) + '\n'),
});
process.stdout.write('ready\n');
let seq = 0;
for (const i of allIndices(layout))
  await pipeline.write({ meta: metaFor(layout, i, seq++), pixels: patternPlane(layout, i) }, i);
await pipeline.close({ outcome: 'complete' });
process.stdout.write('closed\n');
