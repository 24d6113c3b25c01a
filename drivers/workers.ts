/**
 * Starts a worker thread from a TypeScript source entry, in every way the host runs:
 * - from source (vitest, `npm run serve` via tsx): the `.ts` file exists; the worker gets
 *   tsx's loader so it can import TypeScript;
 * - bundled (Electron, `npm run build`): the build emits each `*.worker.ts` as a `.js`
 *   file beside the bundle, so the `.ts` URL is mapped to that sibling.
 * Call as `spawnWorker(new URL('./thing.worker.ts', import.meta.url), data)`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

let tsxApi: string | undefined;
function tsxApiUrl(): string {
  // Resolved once, absolute, so workers do not depend on the current directory.
  tsxApi ??= import.meta.resolve('tsx/esm/api');
  return tsxApi;
}

export function resolveWorkerEntry(sourceUrl: URL): { file: string; needsTsx: boolean } {
  const file = fileURLToPath(sourceUrl);
  if (existsSync(file)) return { file, needsTsx: file.endsWith('.ts') };
  const bundled = path.join(path.dirname(file), path.basename(file).replace(/\.ts$/, '.js'));
  // Packaged apps: worker files are unpacked beside the asar archive (build/electron-builder.yml).
  const unpacked = bundled.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
  if (unpacked !== bundled && existsSync(unpacked)) return { file: unpacked, needsTsx: false };
  if (existsSync(bundled)) return { file: bundled, needsTsx: false };
  throw new Error(`worker entry not found: ${file} (nor ${bundled})`);
}

const live = new Set<Worker>();

/** Workers started by spawnWorker that have not exited yet (the host stops them before it exits). */
export function liveWorkers(): Worker[] {
  return [...live];
}

export function spawnWorker(
  sourceUrl: URL,
  workerData?: unknown,
  options: WorkerOptions = {},
): Worker {
  const { file, needsTsx } = resolveWorkerEntry(sourceUrl);
  // Worker execArgv cannot carry --import, so a tiny bootstrap registers tsx in the thread.
  const worker = needsTsx
    ? new Worker(
        `import(${JSON.stringify(tsxApiUrl())}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); })`,
        { ...options, workerData, eval: true },
      )
    : new Worker(pathToFileURL(file), { ...options, workerData });
  live.add(worker);
  worker.once('exit', () => live.delete(worker));
  return worker;
}
