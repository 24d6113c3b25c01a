/**
 * Reused part buffers. Every part is read into memory, hashed on the hash thread and sent;
 * a fresh multi-MiB allocation per part made the main thread spend a large share of its
 * time in garbage collection. Buffers given back after a send are handed out again (each
 * owns its whole ArrayBuffer from offset 0, so it can be transferred to the hash thread).
 */
export class PartBuffers {
  private readonly free: ArrayBuffer[] = [];

  /** Keeps at most `maxKept` idle buffers (about the requests in flight). */
  constructor(private readonly maxKept: number) {}

  /** A buffer of exactly `length` bytes (contents undefined). */
  take(length: number): Buffer {
    const i = this.free.findIndex((b) => b.byteLength >= length);
    const ab = i >= 0 ? this.free.splice(i, 1)[0]! : new ArrayBuffer(length);
    return Buffer.from(ab, 0, length);
  }

  /** Returns a buffer from `take` (or the hash thread's copy of it) once nothing uses it. */
  give(buf: Buffer): void {
    const ab = buf.buffer;
    if (buf.byteOffset !== 0 || !(ab instanceof ArrayBuffer) || ab.byteLength === 0) return;
    if (this.free.length < this.maxKept) this.free.push(ab);
  }
}
