/**
 * A headless uploader process for the crash tests (killed with SIGKILL at random moments).
 * argv[2] is JSON: { config, journalDir, dataset, target, trace }. Every request about to be
 * sent is appended to `trace` as `<rel>#<part>`; the final status is printed as JSON.
 */
import { appendFileSync } from 'node:fs';
import { uploadConfig } from '../../../electron/upload/config';
import { UploadQueue } from '../../../electron/upload/queue';

const args = JSON.parse(process.argv[2] ?? '{}') as {
  config: unknown;
  journalDir: string;
  dataset: string;
  target: string;
  trace: string;
};
const queue = await UploadQueue.open({
  config: uploadConfig.parse(args.config),
  journalDir: args.journalDir,
  observer: { sending: (rel, n) => appendFileSync(args.trace, `${rel}#${n}\n`) },
});
if (!queue.snapshot().some((s) => s.target === args.target))
  await queue.enqueue(args.dataset, args.target);
queue.start();
await queue.whenIdle();
process.stdout.write(`${JSON.stringify(queue.snapshot())}\n`);
await queue.close();
