import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatasetWriter } from '../../../electron/storage/dataset-writer';
import { readFrameRecords, readProvenance } from '../../../electron/storage/dataset-files';
import type { Durability } from '../../../electron/storage/fs-atomic';
import type { DatasetFormat, FrameIndex } from '../../../electron/storage/layout';
import { verifyManifest } from '../../../electron/storage/manifest';
import {
  allIndices,
  metaFor,
  smallLayout,
  tempRoot,
  verifyWithPython,
  xmllintProblems,
} from './fixtures';
import { patternPlane } from './pattern';
import { readDescription } from '../../../electron/storage/tiff-format';

function tiffDescription(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    return readDescription(fd) ?? '';
  } finally {
    fs.closeSync(fd);
  }
}

describe('DatasetWriter', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
  });

  it.each<[DatasetFormat, number, Durability, 'one by one' | 'overlapping']>([
    ['ome-zarr-0.4', 1, 'os', 'one by one'],
    ['ome-zarr-0.5', 2, 'os', 'one by one'],
    ['ome-zarr-0.5', 1, 'disk', 'one by one'],
    ['ome-tiff', 1, 'os', 'one by one'],
    ['ome-tiff', 1, 'disk', 'one by one'],
    ['ome-zarr-0.4', 1, 'os', 'overlapping'],
    ['ome-zarr-0.5', 4, 'os', 'overlapping'],
    ['ome-tiff', 1, 'disk', 'overlapping'],
  ])(
    'writes a complete %s dataset (shardPlanes %i, durability %s, frames %s) that independent readers open',
    async (format, shardPlanes, durability, calls) => {
      const root = tempRoot('dw');
      roots.push(root);
      const layout = smallLayout(format, { shardPlanes });
      const w = DatasetWriter.create({
        durability,
        root,
        layout,
        provenance: { appVersion: '0.1.0', operator: 'ada', config: { x: 1 } },
      });
      // Out-of-order acquisition (c outermost) to prove the index → plane mapping.
      const order = allIndices(layout).sort(
        (a, b) => a.c - b.c || a.p - b.p || a.t - b.t || b.z - a.z,
      );
      let seq = 0;
      const write = (i: FrameIndex) =>
        w.writeFrame(i, metaFor(layout, i, seq++), new Uint8Array(patternPlane(layout, i)));
      if (calls === 'one by one') for (const i of order) await write(i);
      else {
        await Promise.all(order.map(write));
        await w.settled();
      }
      // Metadata lines follow call order; OME-TIFF lines name their IFD, in order too.
      const records = readFrameRecords(w.dir).items;
      expect(records.map((r) => r.index)).toEqual(order);
      if (format === 'ome-tiff') expect(records.map((r) => r.ifd)).toEqual(order.map((_, k) => k));
      const summary = w.close({ outcome: 'complete' }, 0);
      expect(summary).toMatchObject({
        outcome: 'complete',
        framesWritten: 24,
        framesExpected: 24,
        framesDropped: 0,
      });

      const v = verifyWithPython(w.dir);
      expect(v.problems).toEqual([]);
      expect(v.checked).toBe(24);

      expect(verifyManifest(w.dir)).toEqual([]);
      const manifest = fs
        .readFileSync(path.join(w.dir, 'manifest.sha256'), 'utf8')
        .trim()
        .split('\n');
      const names = manifest.map((l) => l.slice(66));
      expect(names).toEqual([...names].sort());
      expect(names).toContain('provenance.json');
      expect(names).not.toContain('writer.lock');
      expect(fs.existsSync(path.join(w.dir, 'writer.lock'))).toBe(false);

      const prov = readProvenance(w.dir);
      expect(prov).toMatchObject({ outcome: 'complete', operator: 'ada', config: { x: 1 } });
      expect(prov.progress?.lastIndex).toEqual(order.at(-1));

      const xml =
        format === 'ome-tiff'
          ? tiffDescription(path.join(w.dir, prov.imageFile))
          : fs.readFileSync(path.join(w.dir, prov.imageFile, 'OME', 'METADATA.ome.xml'), 'utf8');
      expect(xml).toContain('<Plane TheZ=');
      expect(xmllintProblems(xml)).toBeNull();
    },
  );

  it('the independent reader notices a changed pixel (the check can fail)', async () => {
    const root = tempRoot('dw');
    roots.push(root);
    const layout = smallLayout('ome-zarr-0.4', {
      positions: 1,
      sizes: { t: 1, c: 2, z: 1, y: 8, x: 8 },
    });
    const w = DatasetWriter.create({
      root,
      layout,
      provenance: { appVersion: '0', operator: 'x', config: null },
    });
    const i = { p: 0, t: 0, c: 1, z: 0 };
    const px = new Uint16Array(patternPlane(layout, i));
    px[5] = px[5]! + 1;
    await w.writeFrame(i, metaFor(layout, i, 0), new Uint8Array(px.buffer));
    w.close({ outcome: 'complete' }, 0);
    const v = verifyWithPython(w.dir);
    expect(v.ok).toBe(false);
    expect(v.problems.join()).toMatch(/pixels differ at .*'c': 1/);
  });

  it('refuses to overwrite an existing dataset folder, naming it', () => {
    const root = tempRoot('dw');
    roots.push(root);
    const layout = smallLayout('ome-zarr-0.4');
    DatasetWriter.create({
      root,
      layout,
      provenance: { appVersion: '0', operator: 'x', config: null },
    }).abandon();
    expect(() =>
      DatasetWriter.create({
        root,
        layout,
        provenance: { appVersion: '0', operator: 'x', config: null },
      }),
    ).toThrow(/Cannot create dataset folder .*ds-ome-zarr-0\.4: it already exists/);
  });
});
