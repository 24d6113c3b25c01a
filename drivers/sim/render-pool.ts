/**
 * A small pool of render workers (spawnWorker). Jobs go to an idle worker or wait in a
 * FIFO; emitter and pixel buffers are transferred, never copied. Idle workers are unref'd
 * so they never keep a process alive; `close()` terminates them. Size 0 renders inline on
 * the calling thread (tests, tiny sensors).
 */
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../workers';
import { DeviceError } from '../errors';
import { FrameMaker, transferablesOf, type FrameJob } from './frame-maker';
import type { RenderReply, RenderRequest } from './render.worker';

interface Pending {
  job: FrameJob;
  into: ArrayBuffer | undefined;
  resolve: (pixels: Uint16Array) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  current: (Pending & { id: number }) | undefined;
}

export class RenderPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private inline: FrameMaker | undefined;
  private nextId = 1;
  private closed = false;

  constructor(readonly size: number) {}

  /** Worker threads alive now (idle ones included). */
  get threads(): number {
    return this.slots.length;
  }

  /** Frames that can render at once. */
  get capacity(): number {
    return Math.max(1, this.size);
  }

  /** `into`: an output buffer to fill (transferred to the worker), see FrameMaker.make. */
  render(job: FrameJob, into?: ArrayBuffer): Promise<Uint16Array> {
    if (this.closed) return Promise.reject(new DeviceError('render pool is closed'));
    if (this.size === 0) {
      this.inline ??= new FrameMaker();
      const r = this.inline;
      return new Promise((resolve, reject) =>
        setImmediate(() => {
          try {
            resolve(r.make(job, into));
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        }),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ job, into, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const err = new DeviceError('render pool closed before the frame was rendered');
    for (const p of this.queue.splice(0)) p.reject(err);
    const slots = this.slots.splice(0);
    for (const s of slots) s.current?.reject(err);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.current);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const p = this.queue.shift();
      if (!p) return;
      const id = this.nextId++;
      slot.current = { ...p, id };
      slot.worker.ref();
      const msg: RenderRequest = { id, job: p.job, ...(p.into ? { into: p.into } : {}) };
      slot.worker.postMessage(msg, transferablesOf(p.job, p.into));
    }
  }

  private spawn(): Slot {
    const worker = spawnWorker(new URL('./render.worker.ts', import.meta.url));
    const slot: Slot = { worker, current: undefined };
    worker.on('message', (reply: RenderReply) => {
      const cur = slot.current;
      if (!cur || cur.id !== reply.id) return;
      slot.current = undefined;
      if ('error' in reply) cur.reject(new DeviceError(`frame render failed: ${reply.error}`));
      else cur.resolve(reply.pixels);
      if (this.queue.length > 0) this.pump();
      else worker.unref();
    });
    const fail = (err: Error) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      slot.current?.reject(new DeviceError(`render worker failed: ${err.message}`));
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
