/**
 * The sim camera's render workers: a WorkerJobPool of FrameMakers (render.worker.ts). Emitter
 * and pixel buffers are transferred, never copied. Size 0 renders inline on the calling
 * thread (tests, tiny sensors).
 */
import { DeviceError } from '../errors';
import { WorkerJobPool } from '../worker-job-pool';
import { FrameMaker, transferablesOf, type FrameJob } from './frame-maker';

/** What render.worker.ts receives besides the job id. */
export interface RenderRequest {
  job: FrameJob;
  /** A recycled output buffer, transferred in (see FrameMaker.make). */
  into?: ArrayBuffer;
}

export class RenderPool {
  private readonly pool: WorkerJobPool<RenderRequest, Uint16Array>;

  constructor(readonly size: number) {
    let inline: FrameMaker | undefined;
    this.pool = new WorkerJobPool({
      size,
      entry: new URL('./render.worker.ts', import.meta.url),
      what: 'frame render',
      inline: (r) => (inline ??= new FrameMaker()).make(r.job, r.into),
      failure: (error) => new DeviceError(`frame render failed: ${String(error)}`),
    });
  }

  /** Worker threads alive now (idle ones included). */
  get threads(): number {
    return this.pool.threads;
  }

  /** Frames that can render at once. */
  get capacity(): number {
    return this.pool.capacity;
  }

  /** `into`: an output buffer to fill (transferred to the worker), see FrameMaker.make. */
  render(job: FrameJob, into?: ArrayBuffer): Promise<Uint16Array> {
    return this.pool.run(into ? { job, into } : { job }, transferablesOf(job, into));
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
