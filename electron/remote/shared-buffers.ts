/**
 * Recycled SharedArrayBuffers for the view pyramid (./view-frames.ts). A fresh 8 MiB shared
 * buffer costs the writer its page faults on every frame (the host thread's copy of a camera
 * frame: 9–16 ms measured, up to 79 ms under load; a copy into a buffer used before: ~1 ms);
 * a buffer given back is handed out again for the next buffer of the same size. Whoever gives
 * a buffer back guarantees nothing reads or writes it any more.
 */
export class SharedBufferPool {
  private readonly free = new Map<number, SharedArrayBuffer[]>();

  /** `keep`: buffers kept per size; more given back are left to the garbage collector. */
  constructor(private readonly keep = 2) {}

  take(bytes: number): SharedArrayBuffer {
    return this.free.get(bytes)?.pop() ?? new SharedArrayBuffer(bytes);
  }

  give(buffer: SharedArrayBuffer): void {
    const list = this.free.get(buffer.byteLength) ?? [];
    if (list.length < this.keep && !list.includes(buffer)) list.push(buffer);
    this.free.set(buffer.byteLength, list);
  }
}
