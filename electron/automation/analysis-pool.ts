/**
 * Worker threads for the automation pixel kernels (kernels/): focus measures, ROI finding
 * and registration off the host's event loop, on a WorkerJobPool (drivers/worker-job-pool.ts).
 * Size 0 runs each job on the calling thread (after a setImmediate), for tests.
 *
 * Frames: a frame whose Uint16Array spans its whole ArrayBuffer is **transferred** — the
 * caller's buffer is detached (byteLength 0) once the call returns; copy first if you still
 * need the pixels. A frame on a SharedArrayBuffer is shared, never copied nor detached. A
 * view onto part of a larger buffer is copied once. Errors keep their code (E_INVALID for
 * bad frames, ROIs or options).
 */
import { availableParallelism } from 'node:os';
import type { RoiPx } from '../../drivers/devices';
import { AquilaError, ValidationError, type SerializedError } from '../../drivers/errors';
import { WorkerJobPool } from '../../drivers/worker-job-pool';
import { runJob, type AnalysisJob } from './kernels/analysis-job';
import type { FocusMeasureName } from './kernels/focus-measures';
import type { FoundRoi, RoiFindOptions } from './kernels/roi-find';
import type { Registration } from './kernels/phase-correlation';

export type { AnalysisJob } from './kernels/analysis-job';

/** Default size: one thread per spare core, at most 2 (the host keeps a core for itself). */
export function defaultAnalysisThreads(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}

export class AnalysisPool {
  private readonly pool: WorkerJobPool<{ job: AnalysisJob }, unknown>;

  constructor(readonly size = defaultAnalysisThreads()) {
    this.pool = new WorkerJobPool({
      size,
      entry: new URL('./analysis.worker.ts', import.meta.url),
      what: 'analysis',
      inline: (r) => runJob(r.job),
      failure: (error) => revive(error as SerializedError),
    });
  }

  /** Worker threads alive now (idle ones included). */
  get threads(): number {
    return this.pool.threads;
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

  close(): Promise<void> {
    return this.pool.close();
  }

  private submit(job: AnalysisJob, transfer: ArrayBuffer[]): Promise<unknown> {
    return this.pool.run({ job }, transfer);
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
