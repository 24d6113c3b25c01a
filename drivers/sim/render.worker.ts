/** Render worker: one FrameMaker per thread; pixels go back as a transferred buffer. */
import { parentPort } from 'node:worker_threads';
import { FrameMaker, type FrameJob } from './frame-maker';

export interface RenderRequest {
  id: number;
  job: FrameJob;
  /** A recycled output buffer, transferred in (see FrameMaker.make). */
  into?: ArrayBuffer;
}
export type RenderReply = { id: number; pixels: Uint16Array } | { id: number; error: string };

const maker = new FrameMaker();
const port = parentPort;
if (!port) throw new Error('render.worker.ts must run in a worker thread');

port.on('message', (msg: RenderRequest) => {
  try {
    const pixels = maker.make(msg.job, msg.into);
    port.postMessage({ id: msg.id, pixels } satisfies RenderReply, [pixels.buffer as ArrayBuffer]);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    port.postMessage({ id: msg.id, error } satisfies RenderReply);
  }
});
