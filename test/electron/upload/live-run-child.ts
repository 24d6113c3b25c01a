/**
 * A host stand-in for the live-archiving kill -9 test. argv[2] is JSON:
 * { mode: 'run' | 'resume', root, name, side, frames, fps, config, journalDir, trace }.
 * run: acquires a run archived live (prints `dir <path>` once the dataset exists), then waits
 * for the archive. resume: closes unfinished datasets as the host's start-up does
 * (recoverDatasets), then lets the queue finish. Both print the final statuses as JSON last.
 * Every request about to be sent is appended to `trace` as `<rel>#<part>`.
 */
import { appendFileSync } from 'node:fs';
import { recoverDatasets } from '../../../electron/storage/recovery';
import { uploadConfig } from '../../../electron/upload/config';
import { UploadQueue } from '../../../electron/upload/queue';
import { openLiveRun } from './live-run';

const a = JSON.parse(process.argv[2] ?? '{}') as {
  mode: 'run' | 'resume';
  root: string;
  name: string;
  side: number;
  frames: number;
  fps: number;
  config: unknown;
  journalDir: string;
  trace: string;
};
if (a.mode === 'resume') recoverDatasets(a.root);
const queue = await UploadQueue.open({
  config: uploadConfig.parse(a.config),
  journalDir: a.journalDir,
  observer: { sending: (rel, n) => appendFileSync(a.trace, `${rel}#${n}\n`) },
});
queue.start();
if (a.mode === 'run') {
  const live = await openLiveRun({ ...a, queue });
  process.stdout.write(`dir ${live.dir}\n`);
  await live.run();
}
await queue.whenIdle();
process.stdout.write(`${JSON.stringify(queue.snapshot())}\n`);
await queue.close();
