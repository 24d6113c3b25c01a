/**
 * Main-thread side of hash.worker.ts. A file's parts form a stream (MD5 per part, running
 * SHA-256 of the file, so one stream stays on one thread, in order); streams are spread over
 * up to 4 hash threads, so several files hash in parallel instead of one thread capping the
 * upload rate. Threads start on first use and are unref'ed so they never keep the process
 * alive. `part` resolves to the MD5 (hex and base64) and the same bytes, in a buffer handed
 * back by the thread.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../drivers/workers';
import type { HashReply, HashRequest } from './hash.worker';

/** One hash thread and the replies it owes. */
class HashLane {
  private worker: Worker | undefined;
  private seq = 0;
  private readonly waiting = new Map<
    number,
    { ok: (r: HashReply) => void; fail: (e: unknown) => void }
  >();

  send(m: HashRequest, transfer: ArrayBuffer[] = []): Promise<HashReply> {
    const w = this.ensure();
    m.seq = ++this.seq;
    return new Promise((ok, fail) => {
      this.waiting.set(m.seq, { ok, fail });
      w.ref();
      w.postMessage(m, transfer);
    });
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
    for (const w of this.waiting.values()) w.fail(new Error('hasher closed'));
    this.waiting.clear();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = spawnWorker(new URL('./hash.worker.ts', import.meta.url));
    w.on('message', (r: HashReply) => {
      const p = this.waiting.get(r.seq);
      this.waiting.delete(r.seq);
      if (this.waiting.size === 0) w.unref();
      p?.ok(r);
    });
    w.on('error', (err) => {
      for (const p of this.waiting.values()) p.fail(err);
      this.waiting.clear();
      this.worker = undefined;
    });
    w.unref();
    this.worker = w;
    return w;
  }
}

export class Hasher {
  private readonly lanes: HashLane[];
  private nextStream = 0;

  constructor(threads = Math.min(4, os.availableParallelism())) {
    this.lanes = Array.from({ length: Math.max(1, threads) }, () => new HashLane());
  }

  /** A new stream id: parts posted under it are sha256'ed in order. */
  stream(): number {
    return ++this.nextStream;
  }

  async part(
    stream: number,
    buf: Buffer,
  ): Promise<{ buf: Buffer; md5Hex: string; md5Base64: string }> {
    // Transfer needs a buffer at the start of an ArrayBuffer (the thread hashes `length`
    // bytes of it); a view into a shared or offset buffer is copied first.
    const own = buf.byteOffset === 0 && buf.buffer instanceof ArrayBuffer;
    const data = own ? (buf.buffer as ArrayBuffer) : new Uint8Array(buf).buffer;
    const length = buf.length; // `buf` is detached once transferred
    const r = (await this.lane(stream).send({ op: 'part', seq: 0, stream, data, length }, [
      data,
    ])) as { md5: string; data: ArrayBuffer };
    return {
      buf: Buffer.from(r.data, 0, length),
      md5Hex: r.md5,
      md5Base64: Buffer.from(r.md5, 'hex').toString('base64'),
    };
  }

  async end(stream: number): Promise<string> {
    const r = (await this.lane(stream).send({ op: 'end', seq: 0, stream })) as {
      sha256: string;
    };
    return r.sha256;
  }

  close(): void {
    for (const lane of this.lanes) lane.close();
  }

  private lane(stream: number): HashLane {
    return this.lanes[stream % this.lanes.length] as HashLane;
  }
}
