/**
 * SHA-256 of finished dataset files for the manifest, on hash threads of their own, so the
 * writer thread never stalls on hashing and, on a PC with cores to spare, several threads
 * can share the work (one thread hashes about 1.6 GB/s). Requests go round-robin to
 * `threads` threads (default `availableParallelism() - 1`, 1 to 4), started on first use.
 * A failed hash only means the manifest reads that file again at close.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../drivers/workers';
import type { FileHashReply, FileHashRequest } from './file-hash.worker';
import type { KnownHash } from './manifest';

interface Waiting {
  ok: (h: KnownHash) => void;
  fail: (e: Error) => void;
}

export class FileHasher {
  private readonly workers: (Worker | undefined)[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private closed = false;

  constructor(private readonly threads = Math.max(1, Math.min(4, os.availableParallelism() - 1))) {}

  /** Resolves with the file's SHA-256 and size as read now; rejects if it cannot be read. */
  hash(file: string): Promise<KnownHash> {
    if (this.closed) return Promise.reject(new Error('file hasher closed'));
    const id = this.nextId++;
    const worker = this.worker(id % this.threads);
    return new Promise((ok, fail) => {
      this.waiting.set(id, { ok, fail });
      worker.postMessage({ id, file } satisfies FileHashRequest);
    });
  }

  close(): void {
    this.closed = true;
    for (const w of this.workers) void w?.terminate();
    this.workers.length = 0;
    for (const p of this.waiting.values()) p.fail(new Error('file hasher closed'));
    this.waiting.clear();
  }

  private worker(k: number): Worker {
    const existing = this.workers[k];
    if (existing) return existing;
    const w = spawnWorker(new URL('./file-hash.worker.ts', import.meta.url));
    w.on('message', (r: FileHashReply) => {
      const p = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      if ('error' in r) p?.fail(new Error(r.error));
      else p?.ok({ sha256: r.sha256, bytes: r.bytes });
    });
    // A thread that dies (error or exit) fails what it owed, so no caller waits forever;
    // the next request starts a new one.
    const gone = (err: Error) => {
      if (this.workers[k] !== w) return;
      this.workers[k] = undefined;
      for (const [id, p] of this.waiting)
        if (id % this.threads === k) {
          this.waiting.delete(id);
          p.fail(err);
        }
    };
    w.on('error', gone);
    w.on('exit', (code) => gone(new Error(`hash thread exited (code ${code})`)));
    this.workers[k] = w;
    return w;
  }
}
