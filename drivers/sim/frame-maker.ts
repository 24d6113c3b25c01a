/** What a render thread can make: a rendered sample frame or a stamped test-pattern frame. */
import { FrameRenderer, type RenderJob } from './render-frame';
import { TestPatternSource } from './test-pattern';

export type FrameJob =
  | { kind: 'sample'; render: RenderJob }
  | { kind: 'pattern'; seq: number; widthPx: number; heightPx: number };

export class FrameMaker {
  private renderer: FrameRenderer | undefined;
  private pattern: TestPatternSource | undefined;

  /** `into`: a buffer of exactly the frame's size to fill instead of allocating one. */
  make(job: FrameJob, into?: ArrayBuffer): Uint16Array {
    if (job.kind === 'pattern') {
      this.pattern ??= new TestPatternSource();
      return this.pattern.frame(job.seq, job.widthPx, job.heightPx, into);
    }
    this.renderer ??= new FrameRenderer();
    return this.renderer.render(job.render, into);
  }
}

/** Buffers to transfer (not copy) when posting `job` (and its output buffer) to a worker. */
export function transferablesOf(job: FrameJob, into?: ArrayBuffer): ArrayBuffer[] {
  const out = job.kind === 'sample' ? [job.render.emitters.buffer as ArrayBuffer] : [];
  return into ? [...out, into] : out;
}
