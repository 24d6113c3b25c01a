import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { resolveWorkerEntry, spawnWorker } from '../../drivers/workers';
import { tempDir } from '../support/temp-dir';

function once(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

describe('spawnWorker', () => {
  it('runs a TypeScript worker from source through tsx', async () => {
    const w = spawnWorker(new URL('../fixtures/echo.worker.ts', import.meta.url), 21);
    await expect(once(w)).resolves.toBe(42);
    await w.terminate();
  });

  it('falls back to the bundled .js sibling when the .ts source is absent', () => {
    const dir = tempDir('aquila-worker-');
    writeFileSync(path.join(dir, 'x.worker.js'), '');
    const r = resolveWorkerEntry(pathToFileURL(path.join(dir, 'x.worker.ts')));
    expect(r).toEqual({ file: path.join(dir, 'x.worker.js'), needsTsx: false });
  });

  it('names both candidates when neither exists', () => {
    expect(() => resolveWorkerEntry(pathToFileURL('/nonexistent/y.worker.ts'))).toThrow(
      /y\.worker\.ts.*y\.worker\.js/,
    );
  });
});
