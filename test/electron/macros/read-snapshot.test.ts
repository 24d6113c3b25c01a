import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  SLOT_BYTES,
  SnapshotPublisher,
  SnapshotReader,
  SnapshotWriter,
  snapshotBuffer,
} from '../../../electron/macros/read-snapshot';

describe('read snapshot (shared memory, seqlock)', () => {
  it('gives each slot’s newest answer, null when empty or too long for its slot', () => {
    const buf = snapshotBuffer(2);
    const w = new SnapshotWriter(buf, 2);
    const r = new SnapshotReader(buf, 2);
    expect(r.read(0)).toBeNull();
    w.publish(['{"xUm":1}', null]);
    expect(r.read(0)).toBe('{"xUm":1}');
    expect(r.read(1)).toBeNull();
    w.publish(['{"xUm":2,"µ":"ü"}', '"b"']);
    expect(r.read(0)).toBe('{"xUm":2,"µ":"ü"}');
    expect(r.read(1)).toBe('"b"');
    w.publish([JSON.stringify('x'.repeat(SLOT_BYTES)), '"b"']);
    expect(r.read(0)).toBeNull();
    expect(r.read(1)).toBe('"b"');
    expect(r.read(2)).toBeNull();
  });

  it('never hands a reader a torn answer while another thread rewrites it', async () => {
    const buf = snapshotBuffer(1);
    new SnapshotWriter(buf, 1).publish(['{"a":0,"b":0}']);
    // A writer thread following the layout and seqlock of SnapshotWriter.publish, writing
    // slowly (byte by byte) and pausing between writes (one that never pauses starves a
    // seqlock reader).
    const writer = new Worker(
      `const { workerData: buf, parentPort } = require('node:worker_threads');
       const seq = new Int32Array(buf, 0, 1);
       const len = new Int32Array(buf, 4, 1);
       const bytes = new Uint8Array(buf, 8, ${SLOT_BYTES});
       const enc = new TextEncoder();
       parentPort.postMessage('go');
       for (let i = 1; Atomics.load(seq, 0) >= 0; i++) {
         Atomics.add(seq, 0, 1);
         const text = enc.encode(JSON.stringify({ a: i, pad: 'y'.repeat(i % 60), b: i }));
         Atomics.store(len, 0, text.length);
         for (let k = 0; k < text.length; k++) {
           bytes[k] = text[k];
           for (const t = performance.now(); performance.now() - t < 0.001; );
         }
         Atomics.add(seq, 0, 1);
         for (const t = performance.now(); performance.now() - t < 0.05; );
       }`,
      { eval: true, workerData: buf },
    );
    await new Promise((r) => writer.once('message', r));
    const r = new SnapshotReader(buf, 1);
    const values = new Set<number>();
    let bad = 0;
    // until 50 different answers were seen (bounded: the machine may be busy)
    const end = Date.now() + 5_000;
    while (values.size < 50 && Date.now() < end) {
      const json = r.read(0);
      try {
        const v = JSON.parse(json ?? 'null') as { a: number; b: number };
        if (v.a !== v.b) bad++;
        values.add(v.a);
      } catch {
        bad++;
      }
    }
    Atomics.store(new Int32Array(buf, 0, 1), 0, -1 << 30);
    await writer.terminate();
    expect(values.size).toBeGreaterThan(10);
    expect(bad).toBe(0);
  });

  it('publishes what each read’s handler answers, nothing where it throws; counts are checked', () => {
    const p = new SnapshotPublisher<{ x: number | null }>([
      { name: 'a.read', answer: (s) => ({ x: s.x }) },
      {
        name: 'b.read',
        answer: (s) => {
          if (s.x === null) throw new Error('none');
          return s.x * 2;
        },
      },
    ]);
    const r = new SnapshotReader(p.memory, 2);
    expect(p.names).toEqual(['a.read', 'b.read']);
    p.refresh({ x: 2 });
    expect([r.read(0), r.read(1)]).toEqual(['{"x":2}', '4']);
    p.refresh({ x: null });
    expect([r.read(0), r.read(1)]).toEqual(['{"x":null}', null]);
    expect(
      p.validCounts({ 'a.read': 3, 'b.read': -1, 'stage.moveTo': 5, x: 'y' } as Record<
        string,
        unknown
      >),
    ).toEqual({ 'a.read': 3 });
    expect(p.validCounts({ 'a.read': 1.5, 'b.read': 2 ** 60 })).toEqual({});
  });
});
