/**
 * The view workers (./view.worker.ts): a WorkerJobPool shared by every client of the host
 * (WebSocket sessions and the Electron window). Threads: AQUILA_VIEW_WORKERS, or one per core
 * beyond the host's own, at most 2; 0 runs the jobs inline (tests). Idle workers are unref'd.
 */
import os from 'node:os';
import { DeviceError } from '../../drivers/errors';
import { WorkerJobPool } from '../../drivers/worker-job-pool';
import { runViewJob, type ViewJob, type ViewJobResult } from './view-jobs';

let pool: WorkerJobPool<ViewJob, ViewJobResult> | null = null;

export function viewPoolSize(env = process.env): number {
  const forced = env.AQUILA_VIEW_WORKERS;
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(8, Number(forced));
  return Math.min(2, Math.max(1, os.availableParallelism() - 1));
}

export function viewPool(): WorkerJobPool<ViewJob, ViewJobResult> {
  pool ??= new WorkerJobPool({
    size: viewPoolSize(),
    entry: new URL('./view.worker.ts', import.meta.url),
    what: 'view encode',
    inline: runViewJob,
    failure: (error) => new DeviceError(`view encode failed: ${String(error)}`),
  });
  return pool;
}

/** Stops the workers (the next viewPool() starts a fresh pool). */
export async function closeViewPool(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.close();
}
