/**
 * A small pool of worker threads (spawnWorker) that run one job each at a time. Jobs go to
 * an idle worker or wait in a FIFO; idle workers are unref'd so they never keep a process
 * alive; `close()` rejects what is queued or running and terminates them. Size 0 runs each
 * job on the calling thread after a setImmediate (tests, tiny inputs).
 *
 * Wire contract with the worker: it receives `{ id, ...request }` and answers
 * `{ id, result }` or `{ id, error }` (JobReply); `failure` turns that error into an Error.
 */
import type { Transferable, Worker } from 'node:worker_threads';
import { DeviceError } from './errors';
import { spawnWorker } from './workers';

export type JobReply<R> = { id: number; result: R } | { id: number; error: unknown };

export interface WorkerJobPoolOptions<Q, R> {
  /** Worker threads at most; 0 = inline. */
  size: number;
  /** The worker's TypeScript source, as for spawnWorker. */
  entry: URL;
  /** What the jobs are, for error messages ("frame render", "analysis"). */
  what: string;
  /** Runs one request on the calling thread (size 0). */
  inline: (request: Q) => R;
  /** The Error for a worker's `{ error }` reply. */
  failure: (error: unknown) => Error;
}

interface Pending<Q, R> {
  request: Q;
  transfer: Transferable[];
  resolve: (result: R) => void;
  reject: (err: Error) => void;
}

interface Slot<Q, R> {
  worker: Worker;
  current: (Pending<Q, R> & { id: number }) | undefined;
}

export class WorkerJobPool<Q extends object, R> {
  private readonly slots: Slot<Q, R>[] = [];
  private readonly queue: Pending<Q, R>[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly o: WorkerJobPoolOptions<Q, R>) {}

  get size(): number {
    return this.o.size;
  }

  /** Worker threads alive now (idle ones included). */
  get threads(): number {
    return this.slots.length;
  }

  /** Jobs that can run at once. */
  get capacity(): number {
    return Math.max(1, this.o.size);
  }

  /** `transfer`: buffers moved (not copied) to the worker with the request. */
  run(request: Q, transfer: Transferable[] = []): Promise<R> {
    if (this.closed) return Promise.reject(new DeviceError(`${this.o.what} pool is closed`));
    if (this.o.size === 0) {
      return new Promise((resolve, reject) =>
        setImmediate(() => {
          try {
            resolve(this.o.inline(request));
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        }),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ request, transfer, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const err = new DeviceError(`${this.o.what} pool closed before the job ran`);
    for (const p of this.queue.splice(0)) p.reject(err);
    const slots = this.slots.splice(0);
    for (const s of slots) s.current?.reject(err);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.current);
      if (!slot && this.slots.length < this.o.size) slot = this.spawn();
      if (!slot) return;
      const p = this.queue.shift();
      if (!p) return;
      const id = this.nextId++;
      slot.current = { ...p, id };
      slot.worker.ref();
      slot.worker.postMessage({ id, ...p.request }, p.transfer);
    }
  }

  private spawn(): Slot<Q, R> {
    const worker = spawnWorker(this.o.entry);
    const slot: Slot<Q, R> = { worker, current: undefined };
    worker.on('message', (reply: JobReply<R>) => {
      const cur = slot.current;
      if (!cur || cur.id !== reply.id) return;
      slot.current = undefined;
      if ('error' in reply) cur.reject(this.o.failure(reply.error));
      else cur.resolve(reply.result);
      if (this.queue.length > 0) this.pump();
      else worker.unref();
    });
    const fail = (err: Error) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      slot.current?.reject(new DeviceError(`${this.o.what} worker failed: ${err.message}`));
      slot.current = undefined;
      if (!this.closed) this.pump();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`exited with code ${code}`));
    });
    this.slots.push(slot);
    return slot;
  }
}
