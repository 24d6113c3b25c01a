/** Render worker (RenderPool): one FrameMaker per thread; pixels go back as a transferred buffer. */
import { parentPort } from 'node:worker_threads';
import type { JobReply } from '../worker-job-pool';
import { FrameMaker } from './frame-maker';
import type { RenderRequest } from './render-pool';

const maker = new FrameMaker();
const port = parentPort;
if (!port) throw new Error('render.worker.ts must run in a worker thread');

port.on('message', (msg: RenderRequest & { id: number }) => {
  try {
    const result = maker.make(msg.job, msg.into);
    port.postMessage({ id: msg.id, result } satisfies JobReply<Uint16Array>, [
      result.buffer as ArrayBuffer,
    ]);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    port.postMessage({ id: msg.id, error } satisfies JobReply<Uint16Array>);
  }
});
