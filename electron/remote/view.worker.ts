/** View worker (./view-pool.ts): runs view jobs; encoded bytes go back transferred. */
import { parentPort } from 'node:worker_threads';
import type { JobReply } from '../../drivers/worker-job-pool';
import { runViewJob, type ViewJob, type ViewJobResult } from './view-jobs';

const port = parentPort;
if (!port) throw new Error('view.worker.ts must run in a worker thread');

port.on('message', (msg: ViewJob & { id: number }) => {
  try {
    const result = runViewJob(msg);
    const bytes = result && ('bytes' in result ? result.bytes : result.counts);
    const transfer = bytes ? [bytes.buffer as ArrayBuffer] : [];
    port.postMessage({ id: msg.id, result } satisfies JobReply<ViewJobResult>, transfer);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    port.postMessage({ id: msg.id, error } satisfies JobReply<ViewJobResult>);
  }
});
