/**
 * Recycled SharedArrayBuffers for the view pyramid (./view-frames.ts). A fresh 8 MiB shared
 * buffer costs the writer its page faults on every frame (the host thread's copy of a camera
 * frame: 9–16 ms measured quiet, 84–186 ms at load 20; a copy into a buffer used before:
 * 0.4–1.1 ms); a buffer given back is handed out again for the next buffer of the same size.
 * Whoever gives a buffer back guarantees nothing reads or writes it any more.
 */
export class SharedBufferPool {
  /** Oldest given back first. */
  private readonly free: SharedArrayBuffer[] = [];

  /**
   * `keep`: buffers kept in all; beyond it the oldest given back is left to the garbage
   * collector (sizes no longer asked for, e.g. after an ROI change, drop out that way).
   */
  constructor(private readonly keep = 4) {}

  take(bytes: number): SharedArrayBuffer {
    const i = this.free.findLastIndex((b) => b.byteLength === bytes);
    return i >= 0 ? this.free.splice(i, 1)[0]! : new SharedArrayBuffer(bytes);
  }

  give(buffer: SharedArrayBuffer): void {
    if (this.free.includes(buffer)) return;
    this.free.push(buffer);
    if (this.free.length > this.keep) this.free.shift();
  }
}
