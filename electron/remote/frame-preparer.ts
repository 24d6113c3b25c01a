/**
 * Prepares one client's next display frame while its previous one is still in flight (issue
 * #13): DisplayChannel reports each frame that has to wait for the client's ack (`offer`), and
 * the preparation (copy, pyramid and encode for the client's view and codec) runs then, so the
 * ack is answered with a frame that is already encoded (`take`). Latest wins: only the newest
 * offered frame is prepared, at most one preparation runs at a time (a frame offered meanwhile
 * starts when it ends, replacing any older one waiting), and a preparation for a frame other
 * than the one taken, or made before `reset` (the client changed its view), is never used.
 */
import type { HostFrame } from '../host/frame-bus';

interface Preparation<T> {
  frame: HostFrame;
  result: Promise<T>;
}

export class FramePreparer<T> {
  private prepared: Preparation<T> | null = null;
  private running = false;
  private waiting: HostFrame | null = null;

  constructor(private readonly prepare: (frame: HostFrame) => Promise<T>) {}

  /** A frame that waits for the client's ack: prepare it now (or once the running one ends). */
  offer(frame: HostFrame): void {
    if (this.running) this.waiting = frame;
    else this.start(frame);
  }

  /** The frame's result: its preparation if one was made for it, else a fresh one. */
  take(frame: HostFrame): Promise<T> {
    const p = this.prepared;
    this.prepared = null;
    if (this.waiting && this.waiting.meta.seq <= frame.meta.seq) this.waiting = null;
    return p?.frame === frame ? p.result : this.prepare(frame);
  }

  /** Drops every preparation made so far (their results would no longer fit the client). */
  reset(): void {
    this.prepared = null;
    this.waiting = null;
  }

  private start(frame: HostFrame): void {
    const result = this.prepare(frame);
    const preparation = { frame, result };
    this.prepared = preparation;
    this.running = true;
    const done = () => {
      this.running = false;
      // A failed preparation is not kept: `take` prepares again and reports its error.
      if (this.prepared === preparation && failed) this.prepared = null;
      const next = this.waiting;
      this.waiting = null;
      if (next) this.start(next);
    };
    let failed = false;
    result.then(done, () => {
      failed = true;
      done();
    });
  }
}
