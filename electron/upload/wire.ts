/**
 * One request body on its way to the gateway at a time. Several requests stay in flight (the
 * gateway stores one part while the next arrives), but a request starts only once the body
 * before it has been handed to the kernel in full. A kill -9 or a crash then cuts at most one
 * body short: the kernel still delivers what the dead process had written (it closes the
 * socket gracefully, as nothing unread is pending: requests carry no 100-continue), the
 * gateway stores that part, and a restart finds it with ListParts. So an interruption re-sends
 * at most one part, however many are in flight.
 */
import { Readable, type Writable } from 'node:stream';

/** Slices pushed into the request; small enough that backpressure is felt early. */
const SLICE_BYTES = 1 << 20;

export class Wire {
  private last: Promise<void> = Promise.resolve();

  /**
   * Resolves when every earlier body has been handed to the kernel (or its request ended).
   * The caller must call the returned `release` (idempotent) once its own body has been, or
   * its request has ended; a later turn waits for that. Rejects if `signal` aborts first.
   */
  async turn(signal: AbortSignal): Promise<() => void> {
    const before = this.last;
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    this.last = before.then(() => mine);
    try {
      await untilAborted(before, signal);
    } catch (err) {
      release();
      throw err;
    }
    return release;
  }
}

async function untilAborted(p: Promise<void>, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([p, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * A request body that reports when it has been handed to the kernel: `flushed` runs on the
 * request's `finish` (Node: the last byte was written to the socket) or `close` (the request
 * ended early). The SDK's HTTP handler pipes a Readable body into the request and never
 * retries a request with a streamed body, so a body is piped once.
 */
export class PartBody extends Readable {
  private offset = 0;

  constructor(
    readonly bytes: Buffer,
    private readonly flushed: () => void,
  ) {
    super();
  }

  override _read(): void {
    while (this.offset < this.bytes.length) {
      const end = Math.min(this.offset + SLICE_BYTES, this.bytes.length);
      const more = this.push(this.bytes.subarray(this.offset, end));
      this.offset = end;
      if (!more) return;
    }
    this.push(null);
  }

  override pipe<T extends NodeJS.WritableStream>(dest: T, options?: { end?: boolean }): T {
    const w = dest as unknown as Writable;
    w.once('finish', this.flushed);
    w.once('close', this.flushed);
    return super.pipe(dest, options);
  }
}
