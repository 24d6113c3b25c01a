/**
 * The viewer's reader (readPlaneBytes) against the real writers, in every format: each
 * written plane reads back byte for byte while the run writes and after close; a plane not
 * written is named as such; a damaged shard index or TIFF is refused, naming the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatasetWriter } from '../../../electron/storage/dataset-writer';
import { readFrameRecords } from '../../../electron/storage/dataset-files';
import type { DatasetLayout, FrameIndex } from '../../../electron/storage/layout';
import { imageFileName } from '../../../electron/storage/layout';
import { readPlaneBytes } from '../../../electron/storage/plane-reader';
import { chunkKey } from '../../../electron/storage/zarr-meta';
import { allIndices, metaFor, smallLayout, tempRoot } from './fixtures';
import { patternPlane } from './pattern';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

const same = (a: FrameIndex, b: FrameIndex) =>
  a.p === b.p && a.t === b.t && a.c === b.c && a.z === b.z;

/** Writes every plane but `skip`, c outermost and z descending (not file order). */
async function writeAllBut(layout: DatasetLayout, skip: FrameIndex) {
  const root = tempRoot('reader');
  roots.push(root);
  const w = DatasetWriter.create({
    root,
    layout,
    provenance: { appVersion: '0', operator: 'x', config: null },
  });
  const order = allIndices(layout)
    .filter((i) => !same(i, skip))
    .sort((a, b) => a.c - b.c || a.p - b.p || a.t - b.t || b.z - a.z);
  let seq = 0;
  for (const i of order)
    await w.writeFrame(i, metaFor(layout, i, seq++), new Uint8Array(patternPlane(layout, i)));
  return { w, order };
}

function expectAllRead(dir: string, layout: DatasetLayout, order: FrameIndex[]) {
  for (const i of order) {
    const got = readPlaneBytes(dir, layout, i);
    expect(Buffer.compare(got, Buffer.from(patternPlane(layout, i))), JSON.stringify(i)).toBe(0);
  }
}

describe('readPlaneBytes', () => {
  it.each([
    ['ome-zarr-0.4', 1, 'uint16'],
    ['ome-zarr-0.5', 1, 'uint16'],
    ['ome-zarr-0.5', 2, 'uint16'],
    ['ome-zarr-0.5', 3, 'uint8'],
    ['ome-tiff', 1, 'uint16'],
    ['ome-tiff', 1, 'uint8'],
  ] as const)(
    '%s (shardPlanes %i, %s): every plane exactly, during the run and after close',
    async (format, shardPlanes, pixelType) => {
      const layout = smallLayout(format, { shardPlanes, pixelType });
      const skip = { p: 1, t: 0, c: 1, z: 1 };
      const { w, order } = await writeAllBut(layout, skip);
      expectAllRead(w.dir, layout, order);
      expect(() => readPlaneBytes(w.dir, layout, skip)).toThrow(
        /plane p 1, t 0, c 1, z 1 was not written/,
      );
      w.close({ outcome: 'interrupted', reason: 'test' }, 1);
      expectAllRead(w.dir, layout, order);
      expect(() => readPlaneBytes(w.dir, layout, skip)).toThrow(/was not written/);
    },
  );

  it('reads a complete OME-TIFF whose header points at the final first IFD', async () => {
    const layout = smallLayout('ome-tiff', { positions: 1 });
    const { w, order } = await writeAllBut(layout, { p: 9, t: 0, c: 0, z: 0 });
    w.close({ outcome: 'complete' }, 0);
    expectAllRead(w.dir, layout, order);
  });

  it('refuses a shard whose index fails its checksum, naming the file', async () => {
    const layout = smallLayout('ome-zarr-0.5', { shardPlanes: 3 });
    const { w } = await writeAllBut(layout, { p: 9, t: 0, c: 0, z: 0 });
    w.close({ outcome: 'complete' }, 0);
    const i = { p: 0, t: 1, c: 0, z: 2 };
    const file = path.join(w.dir, imageFileName(layout), chunkKey(layout, i));
    const bytes = fs.readFileSync(file);
    bytes[3]! ^= 0x10;
    fs.writeFileSync(file, bytes);
    expect(() => readPlaneBytes(w.dir, layout, i)).toThrow(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the shard index fails`),
    );
  });

  it('refuses an OME-TIFF cut short and a record naming an IFD the file lacks', async () => {
    const layout = smallLayout('ome-tiff', { positions: 1 });
    const { w, order } = await writeAllBut(layout, { p: 9, t: 0, c: 0, z: 0 });
    w.close({ outcome: 'complete' }, 0);
    const last = readFrameRecords(w.dir).items.at(-1)!;
    expect(last.ifd).toBe(order.length - 1);
    const file = path.join(w.dir, imageFileName(layout));
    // Cut the file inside the last plane's IFD: the chain ends before it.
    const fd = fs.openSync(file, 'r+');
    const { size } = fs.fstatSync(fd);
    fs.ftruncateSync(fd, Math.floor(size * 0.45));
    fs.closeSync(fd);
    expect(() => readPlaneBytes(w.dir, layout, last.index)).toThrow(
      /is not in the file|past the end/,
    );
  });
});
