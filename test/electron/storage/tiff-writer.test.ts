import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DatasetLayout, FrameIndex } from '../../../electron/storage/layout';
import {
  readDescription,
  replaceDescription,
  walkIfdChain,
} from '../../../electron/storage/tiff-format';
import { TiffPlaneWriter } from '../../../electron/storage/tiff-writer';
import { allIndices, smallLayout, tempRoot } from './fixtures';
import { patternPlane } from './pattern';

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const finalXml = '<OME>final, with every plane</OME>';

async function writeTiff(
  layout: DatasetLayout,
  indices: FrameIndex[],
  together: boolean,
  onThreadUpTo?: number,
): Promise<{ file: string; w: TiffPlaneWriter }> {
  const file = path.join(tempRoot('tw'), 'image.ome.tif');
  const w = new TiffPlaneWriter(file, layout, 'os', 0, undefined, onThreadUpTo);
  const put = (i: FrameIndex) => w.writePlane(i, new Uint8Array(patternPlane(layout, i)));
  if (together) await Promise.all(indices.map(put));
  else for (const i of indices) await put(i);
  await w.settled();
  w.release();
  return { file, w };
}

function finishOn(file: string, w: TiffPlaneWriter): ReturnType<TiffPlaneWriter['finish']> {
  const fd = fs.openSync(file, 'r+');
  try {
    return w.finish(fd, finalXml);
  } finally {
    fs.closeSync(fd);
  }
}

describe('TiffPlaneWriter.finish', () => {
  for (const [together, where] of [
    [false, 'on the writer thread'],
    [true, 'on the writer thread'],
    [false, 'on the pool'],
    [true, 'on the pool'],
  ] as const)
    it(`after every planned plane (${together ? 'overlapping' : 'one by one'}, written ${where}): the hash fed while writing is the file's`, async () => {
      const layout = smallLayout('ome-tiff', { positions: 1 });
      const indices = allIndices(layout);
      const onThreadUpTo = where === 'on the pool' ? 0 : undefined;
      const { file, w } = await writeTiff(layout, indices, together, onThreadUpTo);
      const sizeBefore = fs.statSync(file).size;
      const known = finishOn(file, w);
      expect(known).toEqual({ sha256: sha256(file), bytes: fs.statSync(file).size });
      // The header now names the new first IFD, appended after the planes; the chain still
      // holds one IFD per plane and the description is the final XML.
      const fd = fs.openSync(file, 'r');
      try {
        const chain = walkIfdChain(fd);
        expect(chain.ifdOffsets).toHaveLength(indices.length);
        expect(chain.ifdOffsets[0]).toBeGreaterThanOrEqual(sizeBefore);
        expect(readDescription(fd)).toBe(finalXml);
      } finally {
        fs.closeSync(fd);
      }
    });

  for (const where of ['on the writer thread', 'on the pool'] as const)
    it(`is a valid TIFF of exactly the planes written so far after each plane (written ${where})`, async () => {
      const layout = smallLayout('ome-tiff', { positions: 1 });
      const file = path.join(tempRoot('tw'), 'image.ome.tif');
      const w = new TiffPlaneWriter(
        file,
        layout,
        'os',
        0,
        undefined,
        where === 'on the pool' ? 0 : undefined,
      );
      const indices = allIndices(layout);
      const fd = fs.openSync(file, 'r');
      try {
        for (const [k, i] of indices.entries()) {
          const pixels = new Uint8Array(patternPlane(layout, i));
          const placed = w.writePlane(i, pixels);
          expect((await placed).ifd).toBe(k);
          const chain = walkIfdChain(fd);
          expect(chain.ifdOffsets).toHaveLength(k + 1);
        }
      } finally {
        fs.closeSync(fd);
        w.release();
      }
    });

  it('a single-plane run ends its chain at the new first IFD', async () => {
    const layout = smallLayout('ome-tiff', {
      positions: 1,
      sizes: { t: 1, c: 1, z: 1, y: 4, x: 6 },
    });
    const { file, w } = await writeTiff(layout, allIndices(layout), false);
    expect(finishOn(file, w)?.sha256).toBe(sha256(file));
    const fd = fs.openSync(file, 'r');
    expect(walkIfdChain(fd).ifdOffsets).toHaveLength(1);
    fs.closeSync(fd);
  });

  it('leaves a file that recovery can still re-describe (a crash after finish, before the manifest)', async () => {
    const layout = smallLayout('ome-tiff', { positions: 1 });
    const { file, w } = await writeTiff(layout, allIndices(layout), false);
    expect(finishOn(file, w)).toBeDefined();
    const fd = fs.openSync(file, 'r+');
    try {
      const chain = walkIfdChain(fd);
      replaceDescription(fd, chain.descriptionCountAt!, '<OME>recovered</OME>');
      expect(readDescription(fd)).toBe('<OME>recovered</OME>');
      expect(walkIfdChain(fd).ifdOffsets).toEqual(chain.ifdOffsets);
    } finally {
      fs.closeSync(fd);
    }
  });

  it('writes nothing and returns undefined when planes are missing (the file is then hashed at close)', async () => {
    const layout = smallLayout('ome-tiff', { positions: 1 });
    const { file, w } = await writeTiff(layout, allIndices(layout).slice(0, -1), false);
    const before = fs.readFileSync(file);
    expect(finishOn(file, w)).toBeUndefined();
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});
