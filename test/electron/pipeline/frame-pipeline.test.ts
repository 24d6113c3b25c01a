import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { FramePipeline } from '../../../electron/pipeline/frame-pipeline';
import type { FinalFile } from '../../../electron/pipeline/writer-messages';
import { readJsonLines, readProvenance } from '../../../electron/storage/dataset-files';
import type { DatasetLayout, FrameIndex } from '../../../electron/storage/layout';
import { allIndices, metaFor, smallLayout, tempRoot, verifyWithPython } from '../storage/fixtures';
import { patternPlane } from '../storage/pattern';

const provenance = { appVersion: '0.1.0', operator: 'test', config: null };

function frame(l: DatasetLayout, i: FrameIndex, seq: number) {
  return { meta: metaFor(l, i, seq), pixels: patternPlane(l, i) };
}

describe('FramePipeline', () => {
  const roots: string[] = [];
  const open: FramePipeline[] = [];
  afterEach(async () => {
    for (const p of open.splice(0)) await p.close({ outcome: 'cancelled' }).catch(() => undefined);
    for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
  });

  async function start(
    layout: DatasetLayout,
    queueBytes: number,
    onWritten?: (i: FrameIndex) => void,
  ) {
    const root = tempRoot('pipe');
    roots.push(root);
    const p = await FramePipeline.open({ root, layout, provenance, queueBytes, onWritten });
    open.push(p);
    return p;
  }

  it('streams every frame to the writer thread with back-pressure and no copy', async () => {
    const layout = smallLayout('ome-zarr-0.4');
    const plane = 24 * 32 * 2;
    let maxQueued = 0;
    const written: FrameIndex[] = [];
    const p = await start(layout, 2 * plane, (i) => written.push(i));
    let seq = 0;
    for (const i of allIndices(layout)) {
      const f = frame(layout, i, seq++);
      await p.write(f, i);
      expect(f.pixels.byteLength).toBe(0); // transferred to the writer, not copied
      maxQueued = Math.max(maxQueued, p.stats.queuedBytes);
    }
    const summary = await p.close({ outcome: 'complete' });
    expect(maxQueued).toBeLessThanOrEqual(2 * plane);
    expect(summary).toMatchObject({ outcome: 'complete', framesWritten: 24, framesDropped: 0 });
    expect(written).toHaveLength(24);
    expect(verifyWithPython(p.dir).problems).toEqual([]);
  });

  it("hands written frames' buffers back to a producer that takes them, within the queue size", async () => {
    const layout = smallLayout('ome-tiff');
    const bytes = 24 * 32 * 2;
    const p = await start(layout, 2 * bytes);
    const first = p.takeBuffer(bytes); // nothing written yet: a fresh buffer
    const i = { p: 0, t: 0, c: 0, z: 0 };
    const f = frame(layout, i, 0);
    new Uint8Array(first).set(new Uint8Array(f.pixels));
    await p.write({ ...f, pixels: first }, i);
    await p.flush();
    const reused = new Uint16Array(p.takeBuffer(bytes));
    expect(Array.from(reused.subarray(0, 3))).toEqual([0, 1, 2]); // frame (0,0,0,0)'s pattern
    expect(new Uint16Array(p.takeBuffer(bytes))[1]).toBe(0); // none left: a fresh one
  });

  it('reports each finished file and each TIFF link once, before the frame it belongs to is written', async () => {
    for (const format of ['ome-zarr-0.4', 'ome-tiff'] as const) {
      const layout = smallLayout(format);
      const root = tempRoot('pipe');
      roots.push(root);
      const finals: FinalFile[] = [];
      const grown: number[] = [];
      const eventsAtWritten: number[] = [];
      const p = await FramePipeline.open({
        root,
        layout,
        provenance,
        queueBytes: 4 * 24 * 32 * 2,
        onFileFinal: (f) => finals.push(f),
        onFileGrowing: (f) => grown.push(f.finalBytes),
        onWritten: () => eventsAtWritten.push(finals.length + grown.length),
      });
      open.push(p);
      for (const [seq, i] of allIndices(layout).entries()) await p.write(frame(layout, i, seq), i);
      await p.close({ outcome: 'complete' });
      // Every frame's file event (a chunk file, or its TIFF link) came before its 'written'.
      expect(eventsAtWritten.every((n, k) => n >= k + 1)).toBe(true);
      if (format === 'ome-tiff') {
        expect(finals).toEqual([]);
        expect(grown).toHaveLength(24);
        expect(grown.every((n, k) => k === 0 || n > grown[k - 1]!)).toBe(true);
      } else {
        expect(grown).toEqual([]);
        expect(new Set(finals.map((f) => f.rel)).size).toBe(24);
        expect(finals).toHaveLength(24);
        for (const f of finals) {
          const bytes = fs.readFileSync(path.join(p.dir, f.rel));
          expect(f).toMatchObject({
            sizeBytes: bytes.length,
            sha256: createHash('sha256').update(bytes).digest('hex'),
          });
        }
      }
    }
  });

  it('keeps no written buffers for a producer that allocates its own', async () => {
    const layout = smallLayout('ome-tiff');
    const p = await start(layout, 4 * 24 * 32 * 2);
    const order = allIndices(layout).slice(0, 3);
    for (const [seq, i] of order.entries()) await p.write(frame(layout, i, seq), i);
    await p.flush();
    // A buffer taken now is fresh (zero-filled), not one of the three written frames'.
    expect(new Uint16Array(p.takeBuffer(24 * 32 * 2)).some((v) => v !== 0)).toBe(false);
  });

  it('makes the producer wait while the queue is full', async () => {
    const layout = smallLayout('ome-tiff');
    const events: string[] = [];
    const p = await start(layout, 1, () => events.push('written'));
    const a = { p: 0, t: 0, c: 0, z: 0 };
    const b = { p: 0, t: 0, c: 0, z: 1 };
    await p.write(frame(layout, a, 0), a);
    await p.write(frame(layout, b, 1), b).then(() => events.push('second accepted'));
    expect(events).toEqual(['written', 'second accepted']);
    await p.close({ outcome: 'cancelled' });
  });

  it('counts, journals and reports frames dropped by a producer that cannot wait', async () => {
    const layout = smallLayout('ome-zarr-0.5');
    const p = await start(layout, 1);
    const [a, b, c] = allIndices(layout);
    expect(p.offer(frame(layout, a!, 0), a!)).toBe(true);
    expect(p.offer(frame(layout, b!, 1), b!)).toBe(false);
    expect(p.offer(frame(layout, c!, 2), c!)).toBe(false);
    expect(p.stats.framesDropped).toBe(2);
    const summary = await p.close({ outcome: 'cancelled' });
    expect(summary).toMatchObject({ framesWritten: 1, framesDropped: 2 });
    expect(readProvenance(p.dir).progress?.framesDropped).toBe(2);
    const journal = readJsonLines<{ event: string }>(path.join(p.dir, 'journal.jsonl')).items;
    expect(journal.filter((e) => e.event === 'frame-dropped')).toHaveLength(2);
  });

  it('refuses bad frames with an error naming the problem', async () => {
    const layout = smallLayout('ome-zarr-0.4');
    const p = await start(layout, 1 << 20);
    const i = { p: 0, t: 0, c: 0, z: 0 };
    await expect(p.write(frame(layout, { ...i, z: 3 }, 0), { ...i, z: 3 })).rejects.toThrow(
      'frame index.z: 3 is outside 0..2',
    );
    await expect(
      p.write({ meta: metaFor(layout, i, 0), pixels: new ArrayBuffer(10) }, i),
    ).rejects.toThrow(/pixels have 10 bytes, expected 1536 \(32×24 uint16\)/);
    await p.write(frame(layout, i, 0), i);
    await expect(p.write(frame(layout, i, 1), i)).rejects.toThrow(
      'p=0 t=0 c=0 z=0 was already written',
    );
  });

  it('rejects an invalid layout naming the field', async () => {
    await expect(
      FramePipeline.open({
        root: path.join(os.tmpdir(), 'aquila-never-created'),
        layout: { ...smallLayout('ome-tiff'), name: 'a/b' },
        provenance,
      }),
    ).rejects.toThrow(/dataset layout: name: letters, digits/);
  });
});

describe('FramePipeline when the writer thread dies', () => {
  it('unblocks waiting producers and close with a clear error', async () => {
    const root = tempRoot('pipe-gone');
    onTestFinished(() => fs.rmSync(root, { recursive: true, force: true }));
    const layout = smallLayout('ome-zarr-0.4');
    const p = await FramePipeline.open({ root, layout, provenance, queueBytes: 1 });
    const [a, b] = allIndices(layout);
    await p.write(frame(layout, a!, 0), a!);
    const waiting = p.write(frame(layout, b!, 1), b!);
    // Simulate a thread crash (the worker object is private; reach it for the test only).
    await (p as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    // The waiter settles (rejected, or accepted if frame a was acknowledged just before).
    const hung = new Promise((r) => setTimeout(() => r('hung'), 5000));
    expect(
      await Promise.race([
        waiting.then(
          () => 'settled',
          () => 'settled',
        ),
        hung,
      ]),
    ).toBe('settled');
    const c = allIndices(layout)[2]!;
    await expect(p.write(frame(layout, c, 2), c)).rejects.toThrow(
      /writer thread exited unexpectedly/,
    );
    await expect(p.close({ outcome: 'complete' })).rejects.toThrow(
      /recovery will close the dataset/,
    );
  });
});
