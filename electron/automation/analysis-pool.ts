/**
 * Worker threads for the automation pixel kernels (kernels/): focus measures, ROI finding
 * and registration off the host's event loop. Jobs go to an idle worker or wait in a FIFO;
 * idle workers are unref'd so they never keep a process alive; `close()` terminates them.
 * Size 0 runs each job on the calling thread (after a setImmediate), for tests.
 *
 * Frames: a frame whose Uint16Array spans its whole ArrayBuffer is **transferred** — the
 * caller's buffer is detached (byteLength 0) once the call returns; copy first if you still
 * need the pixels. A frame on a SharedArrayBuffer is shared, never copied nor detached. A
 * view onto part of a larger buffer is copied once. Errors keep their code (E_INVALID for
 * bad frames, ROIs or options).
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { RoiPx } from '../../drivers/devices';
import {
  AquilaError,
  DeviceError,
  ValidationError,
  type SerializedError,
} from '../../drivers/errors';
import { spawnWorker } from '../../drivers/workers';
import { runJob, type AnalysisJob } from './kernels/analysis-job';
import type { FocusMeasureName } from './kernels/focus-measures';
import type { FoundRoi, RoiFindOptions } from './kernels/roi-find';
import type { Registration } from './kernels/phase-correlation';

export type { AnalysisJob } from './kernels/analysis-job';

export type AnalysisReply =
  { id: number; result: unknown } | { id: number; error: SerializedError };

interface Pending {
  job: AnalysisJob;
  transfer: ArrayBuffer[];
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  current: (Pending & { id: number }) | undefined;
}

/** Default size: one thread per spare core, at most 2 (the host keeps a core for itself). */
export function defaultAnalysisThreads(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}

export class AnalysisPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(readonly size = defaultAnalysisThreads()) {}

  /** Worker threads alive now (idle ones included). */
  get threads(): number {
    return this.slots.length;
  }

  focusMeasure(
    measure: FocusMeasureName,
    pixels: Uint16Array,
    widthPx: number,
    heightPx: number,
    roi?: RoiPx,
  ): Promise<number> {
    const [frame, transfer] = portable([pixels]);
    const job: AnalysisJob = {
      op: 'focus',
      measure,
      pixels: frame[0] as Uint16Array,
      widthPx,
      heightPx,
    };
    if (roi) job.roi = roi;
    return this.submit(job, transfer) as Promise<number>;
  }

  findRois(
    pixels: Uint16Array,
    widthPx: number,
    heightPx: number,
    options?: RoiFindOptions,
  ): Promise<FoundRoi[]> {
    const [frame, transfer] = portable([pixels]);
    const job: AnalysisJob = { op: 'rois', pixels: frame[0] as Uint16Array, widthPx, heightPx };
    if (options) job.options = options;
    return this.submit(job, transfer) as Promise<FoundRoi[]>;
  }

  /** Shift of `moving` relative to `reference`, px (see registerPhaseCorrelation). */
  register(
    reference: Uint16Array,
    moving: Uint16Array,
    widthPx: number,
    heightPx: number,
  ): Promise<Registration> {
    const [frames, transfer] = portable([reference, moving]);
    const [ref, mov] = frames as [Uint16Array, Uint16Array];
    return this.submit(
      { op: 'register', reference: ref, moving: mov, widthPx, heightPx },
      transfer,
    ) as Promise<Registration>;
  }

  async close(): Promise<void> {
    this.closed = true;
    const err = new DeviceError('analysis pool closed before the job ran');
    for (const p of this.queue.splice(0)) p.reject(err);
    const slots = this.slots.splice(0);
    for (const s of slots) s.current?.reject(err);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private submit(job: AnalysisJob, transfer: ArrayBuffer[]): Promise<unknown> {
    if (this.closed) return Promise.reject(new DeviceError('analysis pool is closed'));
    if (this.size === 0) {
      return new Promise((resolve, reject) =>
        setImmediate(() => {
          try {
            resolve(runJob(job));
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        }),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ job, transfer, resolve, reject });
      this.pump();
    });
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
      slot.worker.postMessage({ id, job: p.job }, p.transfer);
    }
  }

  private spawn(): Slot {
    const worker = spawnWorker(new URL('./analysis.worker.ts', import.meta.url));
    const slot: Slot = { worker, current: undefined };
    worker.on('message', (reply: AnalysisReply) => {
      const cur = slot.current;
      if (!cur || cur.id !== reply.id) return;
      slot.current = undefined;
      if ('error' in reply) cur.reject(revive(reply.error));
      else cur.resolve(reply.result);
      if (this.queue.length > 0) this.pump();
      else worker.unref();
    });
    const fail = (err: Error) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      slot.current?.reject(new DeviceError(`analysis worker failed: ${err.message}`));
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

/** Frames ready to post, and the buffers to transfer (see the module comment). */
function portable(frames: Uint16Array[]): [Uint16Array[], ArrayBuffer[]] {
  const transfer: ArrayBuffer[] = [];
  const out = frames.map((f) => {
    if (typeof SharedArrayBuffer !== 'undefined' && f.buffer instanceof SharedArrayBuffer) return f;
    const whole = f.byteOffset === 0 && f.byteLength === f.buffer.byteLength;
    if (whole && !transfer.includes(f.buffer as ArrayBuffer)) {
      transfer.push(f.buffer as ArrayBuffer);
      return f;
    }
    const copy = f.slice();
    transfer.push(copy.buffer);
    return copy;
  });
  return [out, transfer];
}

function revive(e: SerializedError): AquilaError {
  if (e.code === 'E_INVALID') return new ValidationError(e.message, e.details);
  return new AquilaError(e.code, e.message, e.details);
}
