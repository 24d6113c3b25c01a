import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ZarrPlaneWriter } from '../../../electron/storage/zarr-writer';
import { chunkKey } from '../../../electron/storage/zarr-meta';
import { allIndices, smallLayout, tempRoot } from './fixtures';
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
});
