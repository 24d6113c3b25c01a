/**
 * kill -9 the writing process at random moments: every frame it reported written must be
 * readable by an independent reader before and after recovery; recovery marks the dataset
 * interrupted, records how far it got and writes the manifest.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProvenance } from '../../../electron/storage/dataset-files';
import type { DatasetFormat } from '../../../electron/storage/layout';
import { verifyManifest } from '../../../electron/storage/manifest';
import { recoverDatasets } from '../../../electron/storage/recovery';
import { tempRoot, verifyManyWithPython } from '../storage/fixtures';

const formats: DatasetFormat[] = ['ome-zarr-0.4', 'ome-zarr-0.5', 'ome-tiff'];
const runs = 12;

interface Killed {
  dir: string;
  format: DatasetFormat;
  written: string[];
  closed: boolean;
}

/** Starts the child, kills it `delayMs` after it is ready, resolves with what it reported. */
function runAndKill(
  child: string,
  root: string,
  format: DatasetFormat,
  name: string,
  delayMs: number,
): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, root, format, name], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => {
      if (!out.includes('ready') && (out + d.toString()).includes('ready'))
        setTimeout(() => p.kill('SIGKILL'), delayMs);
      out += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0)
        return reject(new Error(`child failed (${code}): ${err}`));
      const lines = out.split('\n').filter((l) => l.startsWith('{'));
      resolve({
        dir: path.join(root, name),
        format,
        written: lines,
        // The manifest is written last at close: with it the dataset is closed, even if the
        // kill landed before the child could say so.
        closed: out.includes('closed') || fs.existsSync(path.join(root, name, 'manifest.sha256')),
      });
    });
  });
}

describe('crash safety (kill -9 during a run)', () => {
  let bundleDir = '';
  let root = '';
  beforeAll(async () => {
    bundleDir = tempRoot('crash-bundle');
    root = tempRoot('crash');
    const here = path.dirname(fileURLToPath(import.meta.url));
    await build({
      entryPoints: {
        'crash-child': path.join(here, 'crash-child.ts'),
        'writer.worker': path.join(here, '../../../electron/pipeline/writer.worker.ts'),
        'file-hash.worker': path.join(here, '../../../electron/storage/file-hash.worker.ts'),
      },
      outdir: bundleDir,
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
    });
    fs.writeFileSync(path.join(bundleDir, 'package.json'), '{"type":"module"}');
  });
  afterAll(() => {
    for (const d of [bundleDir, root]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it(`keeps every reported frame readable across ${runs} random kills, then recovers`, async () => {
    const killed: Killed[] = [];
    for (let k = 0; k < runs; k++) {
      const format = formats[k % formats.length]!;
      const delayMs = Math.floor(Math.random() * 250);
      killed.push(
        await runAndKill(path.join(bundleDir, 'crash-child.js'), root, format, `run-${k}`, delayMs),
      );
    }
    const targets = killed.map((r, k) => {
      const file = path.join(root, `written-${k}.jsonl`);
      fs.writeFileSync(file, r.written.join('\n') + '\n');
      return `${r.dir}=${file}`;
    });
    const interrupted = killed.filter((r) => !r.closed);
    expect(interrupted.length).toBeGreaterThanOrEqual(runs / 2); // the kills did land mid-run
    expect(interrupted.filter((r) => r.written.length > 0).length).toBeGreaterThan(0);

    // Before recovery: zarr is readable as is; OME-TIFF pages hold the frames in write order.
    const before = verifyManyWithPython(targets, { pages: true });
    expect(before.flatMap((v) => v.problems)).toEqual([]);

    const rec = recoverDatasets(root);
    expect(rec.failed).toEqual([]);
    expect(rec.recovered.map((s) => s.dir).sort()).toEqual(interrupted.map((r) => r.dir).sort());

    const after = verifyManyWithPython(targets);
    expect(after.flatMap((v) => v.problems)).toEqual([]);
    for (const r of killed) {
      const prov = readProvenance(r.dir);
      expect(prov.outcome).toBe(r.closed ? 'complete' : 'interrupted');
      expect(prov.progress!.framesWritten).toBeGreaterThanOrEqual(r.written.length);
      expect(verifyManifest(r.dir)).toEqual([]);
    }
  }, 120_000);
});
