/**
 * A full disk stops the run with a clear error and keeps every frame written before it:
 * runs on an 8 MiB tmpfs (needs root; skipped with a message when mount is not permitted).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FramePipeline } from '../../../electron/pipeline/frame-pipeline';
import { readProvenance } from '../../../electron/storage/dataset-files';
import type { DatasetFormat, FrameIndex } from '../../../electron/storage/layout';
import { verifyManifest } from '../../../electron/storage/manifest';
import { recoverDatasets } from '../../../electron/storage/recovery';
import {
  allIndices,
  metaFor,
  smallLayout,
  tempRoot,
  verifyManyWithPython,
} from '../storage/fixtures';
import { patternPlane } from '../storage/pattern';

/** Mounts a fresh 8 MiB tmpfs for one test; null when mounting is not permitted. */
function mountTmpfs(): { dir: string; error: string | null } {
  const dir = tempRoot('tmpfs');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir], {
    encoding: 'utf8',
  });
  return {
    dir,
    error: r.status === 0 ? null : (r.stderr || r.error?.message || 'mount failed').trim(),
  };
}

function unmount(dir: string): void {
  if (spawnSync('umount', [dir]).status !== 0) spawnSync('umount', ['-l', dir]);
  fs.rmSync(dir, { recursive: true, force: true });
}

describe('disk full', () => {
  it.for<DatasetFormat>(['ome-zarr-0.4', 'ome-zarr-0.5', 'ome-tiff'])(
    '%s: stops with a clear error, earlier frames intact, recovery closes it once space is back',
    { timeout: 60_000 },
    async (format, ctx) => {
      const { dir: mnt, error: mountError } = mountTmpfs();
      if (mountError) {
        fs.rmSync(mnt, { recursive: true, force: true });
        return ctx.skip(`cannot mount a tmpfs to fill (${mountError}); run as root`);
      }
      let p: FramePipeline | undefined;
      try {
        const root = path.join(mnt, format);
        fs.mkdirSync(root);
        const ballast = path.join(mnt, `ballast-${format}`);
        fs.writeFileSync(ballast, Buffer.alloc(512 * 1024, 1));
        const layout = smallLayout(format, {
          positions: 1,
          sizes: { t: 64, c: 1, z: 2, y: 256, x: 512 },
          shardPlanes: 2,
        });
        const written: FrameIndex[] = [];
        p = await FramePipeline.open({
          root,
          layout,
          provenance: { appVersion: 't', operator: 't', config: null },
          queueBytes: 2 * 256 * 512 * 2,
          onWritten: (i) => written.push(i),
        });
        let error: Error | undefined;
        let seq = 0;
        try {
          for (const i of allIndices(p.layout))
            await p.write(
              { meta: metaFor(p.layout, i, seq++), pixels: patternPlane(p.layout, i) },
              i,
            );
        } catch (err) {
          error = err as Error;
        }
        expect(error?.message).toMatch(
          /^Writing frame p=0 t=\d+ c=0 z=\d failed in .*: the disk is full\./,
        );
        expect(error?.message).toMatch(
          /the disk is full\. The run was stopped; the \d+ frames written before it are intact/,
        );
        expect(written.length).toBeGreaterThan(5);
        expect(written.length).toBeLessThan(64 * 2);
        // Closing may itself fail for lack of space; either way no written frame is lost.
        await p
          .close({ outcome: 'complete' })
          .catch((err: Error) => expect(err.message).toMatch(/Could not close dataset/));
        fs.rmSync(ballast);
        recoverDatasets(root);
        const dir = path.join(root, layout.name);
        const prov = readProvenance(dir);
        expect(prov.outcome).toBe('failed');
        expect(prov.reason).toMatch(/disk is full/);
        expect(prov.progress?.framesWritten).toBe(written.length);
        expect(verifyManifest(dir)).toEqual([]);
        const file = path.join(mnt, `written-${format}.jsonl`);
        fs.writeFileSync(file, written.map((i) => JSON.stringify(i)).join('\n') + '\n');
        const [v] = verifyManyWithPython([`${dir}=${file}`]);
        expect(v).toMatchObject({ ok: true, checked: written.length, problems: [] });
      } finally {
        await p?.close({ outcome: 'failed' }).catch(() => undefined);
        unmount(mnt);
      }
    },
  );
});
