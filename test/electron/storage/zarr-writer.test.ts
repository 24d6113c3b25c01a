import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFrameRecords } from '../../../electron/storage/dataset-files';
import { DatasetWriter } from '../../../electron/storage/dataset-writer';
import type { FrameRecord } from '../../../electron/storage/layout';
import { FileHasher } from '../../../electron/storage/file-hasher';
import { ZarrPlaneWriter } from '../../../electron/storage/zarr-writer';
import { chunkKey } from '../../../electron/storage/zarr-meta';
import { allIndices, metaFor, smallLayout, tempRoot } from './fixtures';
import { patternPlane } from './pattern';

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('ZarrPlaneWriter', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
  });

  it('hashes each shard once its last plane is in, so close need not read it back', async () => {
    const root = tempRoot('zw');
    roots.push(root);
    // z = 3 with 2 planes per shard: every (t, c) has one full shard and one of a single plane.
    const layout = smallLayout('ome-zarr-0.5', { positions: 1, shardPlanes: 2 });
    const w = new ZarrPlaneWriter(path.join(root, 'image.ome.zarr'), layout, 'os');
    const indices = allIndices(layout);
    const last = indices.at(-1)!;
    // Leave one shard a plane short: it must not be hashed (it is not finished).
    const skipped = { ...last, z: 1 };
    const unfinished = chunkKey(layout, skipped);
    const written = indices.filter((i) => chunkKey(layout, i) !== unfinished || i.z !== 1);
    await Promise.all(written.map((i) => w.writePlane(i, new Uint8Array(patternPlane(layout, i)))));
    await w.settled();
    const shards = new Set(indices.map((i) => chunkKey(layout, i)));
    expect([...w.knownHashes.keys()].sort()).toEqual(
      [...shards].filter((k) => k !== unfinished).sort(),
    );
    for (const [key, known] of w.knownHashes) {
      const file = path.join(root, 'image.ome.zarr', key);
      expect(known, key).toEqual({ sha256: sha256(file), bytes: fs.statSync(file).size });
    }
    w.release();
  });

  for (const order of ['in z order', 'out of z order'] as const)
    it(`hashes shards whose planes come ${order} ${order === 'in z order' ? 'while writing (no read-back)' : 'by reading them back'}`, async () => {
      const root = tempRoot('zw');
      roots.push(root);
      const layout = smallLayout('ome-zarr-0.5', { positions: 1, shardPlanes: 3 });
      const readBack = vi.spyOn(FileHasher.prototype, 'hash');
      try {
        const w = new ZarrPlaneWriter(path.join(root, 'image.ome.zarr'), layout, 'os');
        const indices = allIndices(layout);
        if (order === 'out of z order') indices.reverse();
        // Overlapping writes, started in order.
        await Promise.all(
          indices.map((i) => w.writePlane(i, new Uint8Array(patternPlane(layout, i)))),
        );
        await w.settled();
        const shards = new Set(indices.map((i) => chunkKey(layout, i)));
        expect([...w.knownHashes.keys()].sort()).toEqual([...shards].sort());
        for (const [key, known] of w.knownHashes) {
          const file = path.join(root, 'image.ome.zarr', key);
          expect(known, key).toEqual({ sha256: sha256(file), bytes: fs.statSync(file).size });
        }
        expect(readBack).toHaveBeenCalledTimes(order === 'in z order' ? 0 : shards.size);
        w.release();
      } finally {
        readBack.mockRestore();
      }
    });

  it('lists a chunk written in place in frames.jsonl only once all its bytes are in the file', async () => {
    const root = tempRoot('zw');
    roots.push(root);
    // Planes of 2 MiB, all written at once, so writes are still under way while lines appear.
    const layout = smallLayout('ome-zarr-0.4', {
      positions: 1,
      sizes: { t: 2, c: 2, z: 4, y: 1024, x: 1024 },
    });
    const w = DatasetWriter.create({
      root,
      layout,
      provenance: { appVersion: '0', operator: 'x', config: null },
    });
    const image = path.join(w.dir, 'ds-ome-zarr-0.4.ome.zarr');
    const indices = allIndices(layout);
    const planes = indices.map((i) => Buffer.from(patternPlane(layout, i)));
    const original = (DatasetWriter.prototype as unknown as { appendRecord(l: string): void })
      .appendRecord;
    // At the moment each frames.jsonl line is appended, its chunk must be whole and hold its plane.
    const problems: string[] = [];
    let appended = 0;
    const append = vi
      .spyOn(
        DatasetWriter.prototype as unknown as { appendRecord(l: string): void },
        'appendRecord',
      )
      .mockImplementation(function (this: unknown, line: string) {
        appended++;
        const { index } = JSON.parse(line) as FrameRecord;
        const key = chunkKey(layout, index);
        const k = indices.findIndex((i) => chunkKey(layout, i) === key);
        const bytes = fs.readFileSync(path.join(image, key));
        if (!bytes.equals(planes[k]!)) problems.push(`${key}: listed with ${bytes.length} bytes`);
        return original.call(this, line);
      });
    let seq = 0;
    try {
      await Promise.all(
        indices.map((i, k) =>
          w.writeFrame(i, metaFor(layout, i, seq++), new Uint8Array(planes[k]!)),
        ),
      );
    } finally {
      append.mockRestore();
    }
    expect(appended).toBe(indices.length);
    expect(problems).toEqual([]);
    expect(readFrameRecords(w.dir).items).toHaveLength(indices.length);
    // No temporary files: chunks are created under their final names.
    const files = fs.readdirSync(image, { recursive: true }).map(String);
    expect(files.filter((f) => f.endsWith('.partial'))).toEqual([]);
    // Each chunk's hash, computed from the pixels while writing, is the file's.
    const summary = w.close({ outcome: 'complete' }, 0);
    expect(summary.framesWritten).toBe(indices.length);
    const manifest = fs.readFileSync(path.join(w.dir, 'manifest.sha256'), 'utf8');
    for (const i of indices) {
      const rel = `ds-ome-zarr-0.4.ome.zarr/${chunkKey(layout, i)}`;
      expect(manifest).toContain(`${sha256(path.join(w.dir, rel))}  ${rel}\n`);
    }
  });
});
