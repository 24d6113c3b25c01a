import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readProvenance } from '../../../electron/storage/dataset-files';
import { DatasetWriter } from '../../../electron/storage/dataset-writer';
import type { DatasetLayout } from '../../../electron/storage/layout';
import { verifyManifest } from '../../../electron/storage/manifest';
import { recoverDatasets } from '../../../electron/storage/recovery';
import { chunkKey } from '../../../electron/storage/zarr-meta';
import { allIndices, metaFor, smallLayout, tempRoot, verifyWithPython } from './fixtures';
import { patternPlane } from './pattern';

const provenance = { appVersion: '0.1.0', operator: 'x', config: null };

/** A pid that certainly belonged to a process which has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

function markWriterDead(dir: string): void {
  fs.writeFileSync(
    path.join(dir, 'writer.lock'),
    JSON.stringify({ pid: deadPid(), startedAtMs: 0 }),
  );
}

async function partialRun(
  root: string,
  layout: DatasetLayout,
  frames: number,
): Promise<DatasetWriter> {
  const w = DatasetWriter.create({ root, layout, provenance });
  let seq = 0;
  for (const i of allIndices(layout).slice(0, frames))
    await w.writeFrame(i, metaFor(layout, i, seq++), new Uint8Array(patternPlane(layout, i)));
  w.abandon();
  markWriterDead(w.dir);
  return w;
}

describe('recoverDatasets', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
  });
  function root(): string {
    const r = tempRoot('rec');
    roots.push(r);
    return r;
  }

  it('closes an unfinished dataset as interrupted, recording how far it got', async () => {
    const r = root();
    const layout = smallLayout('ome-tiff');
    const w = await partialRun(r, layout, 7);
    // Crash debris: a torn metadata line and a half-written temp file.
    fs.appendFileSync(path.join(w.dir, 'frames.jsonl'), '{"index":{"p":0,');
    fs.writeFileSync(path.join(w.dir, 'provenance.json.partial'), '{');
    const res = recoverDatasets(r);
    expect(res.failed).toEqual([]);
    expect(res.recovered).toHaveLength(1);
    const prov = readProvenance(w.dir);
    expect(prov.outcome).toBe('interrupted');
    expect(prov.reason).toMatch(/without closing/);
    expect(prov.progress).toEqual({
      framesExpected: 24,
      framesWritten: 7,
      framesDropped: 0,
      lastIndex: allIndices(layout)[6],
    });
    expect(fs.existsSync(path.join(w.dir, 'provenance.json.partial'))).toBe(false);
    expect(verifyManifest(w.dir)).toEqual([]);
    const v = verifyWithPython(w.dir);
    expect(v).toMatchObject({ ok: true, checked: 7, outcome: 'interrupted' });
  });

  it('leaves closed datasets and datasets whose writer is alive alone', () => {
    const r = root();
    const done = DatasetWriter.create({ root: r, layout: smallLayout('ome-zarr-0.4'), provenance });
    done.close({ outcome: 'complete' }, 0);
    const manifestBefore = fs.readFileSync(path.join(done.dir, 'manifest.sha256'), 'utf8');
    const live = DatasetWriter.create({ root: r, layout: smallLayout('ome-zarr-0.5'), provenance });
    const res = recoverDatasets(r);
    expect(res.recovered).toEqual([]);
    expect(res.busy).toEqual([live.dir]);
    expect(fs.readFileSync(path.join(done.dir, 'manifest.sha256'), 'utf8')).toBe(manifestBefore);
    live.abandon();
  });

  it('marks a dataset failed when its journal recorded a write failure', async () => {
    const r = root();
    const w = await partialRun(r, smallLayout('ome-zarr-0.5'), 3);
    fs.appendFileSync(
      path.join(w.dir, 'journal.jsonl'),
      JSON.stringify({ timeMs: 1, event: 'write-failed', message: 'the disk is full' }) + '\n',
    );
    recoverDatasets(r);
    expect(readProvenance(w.dir)).toMatchObject({
      outcome: 'failed',
      reason: 'writer failed: the disk is full',
    });
    expect(verifyWithPython(w.dir)).toMatchObject({ ok: true, checked: 3 });
  });

  it('removes OME-Zarr chunks of planes not listed in frames.jsonl, keeps the listed ones', async () => {
    const r = root();
    const layout = smallLayout('ome-zarr-0.4');
    const w = await partialRun(r, layout, 5);
    // Crash debris of in-place chunk writes: one chunk cut short mid-write, one written whole
    // but killed before its frames.jsonl line.
    const [cut, whole] = allIndices(layout)
      .slice(5, 7)
      .map((i) => {
        const file = path.join(w.dir, 'ds-ome-zarr-0.4.ome.zarr', chunkKey(layout, i));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        return { i, file };
      });
    fs.writeFileSync(cut!.file, Buffer.from(patternPlane(layout, cut!.i)).subarray(0, 100));
    fs.writeFileSync(whole!.file, Buffer.from(patternPlane(layout, whole!.i)));
    expect(recoverDatasets(r).failed).toEqual([]);
    expect(fs.existsSync(cut!.file)).toBe(false);
    expect(fs.existsSync(whole!.file)).toBe(false);
    for (const i of allIndices(layout).slice(0, 5))
      expect(fs.existsSync(path.join(w.dir, 'ds-ome-zarr-0.4.ome.zarr', chunkKey(layout, i)))).toBe(
        true,
      );
    expect(readProvenance(w.dir).progress?.framesWritten).toBe(5);
    expect(verifyManifest(w.dir)).toEqual([]);
    expect(verifyWithPython(w.dir)).toMatchObject({ ok: true, checked: 5 });
  });

  it('removes the image of an OME-TIFF run that ended before its first frame', async () => {
    const r = root();
    const w = await partialRun(r, smallLayout('ome-tiff'), 0);
    recoverDatasets(r);
    expect(fs.existsSync(path.join(w.dir, 'ds-ome-tiff.ome.tif'))).toBe(false);
    expect(readProvenance(w.dir).progress?.framesWritten).toBe(0);
    expect(verifyManifest(w.dir)).toEqual([]);
  });
});
