/** Analysis worker (AnalysisPool): one kernel call per message; frames arrive transferred or shared. */
import { parentPort } from 'node:worker_threads';
import { serializeError } from '../../drivers/errors';
import type { JobReply } from '../../drivers/worker-job-pool';
import { runJob, type AnalysisJob } from './kernels/analysis-job';

const port = parentPort;
if (!port) throw new Error('analysis.worker.ts must run in a worker thread');

port.on('message', (msg: { id: number; job: AnalysisJob }) => {
  let reply: JobReply<unknown>;
  try {
    reply = { id: msg.id, result: runJob(msg.job) };
  } catch (err) {
    reply = { id: msg.id, error: serializeError(err) };
  }
  port.postMessage(reply);
});
