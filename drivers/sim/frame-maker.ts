/** What a render thread can make: a rendered sample frame or a stamped test-pattern frame. */
import { FrameRenderer, type RenderJob } from './render-frame';
import { TestPatternSource } from './test-pattern';

export type FrameJob =
  | { kind: 'sample'; render: RenderJob }
  | { kind: 'pattern'; seq: number; widthPx: number; heightPx: number };

export class FrameMaker {
  private renderer: FrameRenderer | undefined;
  private pattern: TestPatternSource | undefined;

  make(job: FrameJob): Uint16Array {
    if (job.kind === 'pattern') {
      this.pattern ??= new TestPatternSource();
      return this.pattern.frame(job.seq, job.widthPx, job.heightPx);
    }
    this.renderer ??= new FrameRenderer();
    return this.renderer.render(job.render);
  }
}

/** Buffers to transfer (not copy) when posting `job` to a worker. */
export function transferablesOf(job: FrameJob): ArrayBuffer[] {
  return job.kind === 'sample' ? [job.render.emitters.buffer as ArrayBuffer] : [];
}
