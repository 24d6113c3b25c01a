/**
 * bench:remote's codec section: per-frame host costs (copy, pyramid, histogram) and each
 * codec's size and encode time on one real camera frame.
 */
import os from 'node:os';
import { deflateRawSync } from 'node:zlib';
import { planView, type DisplayWindow } from '../../electron/api/frame-view';
import {
  buildPyramid,
  encodeHistogramCounts,
  encodePixels,
  pyramidLayout,
  reduceFrame,
  windowTo8Bit,
} from '../../electron/remote/view-pyramid';
import { histogramToWire } from '../../renderer/display/histogram';

/**
 * The codecs' ratio and encode time on a real frame (why deflate is byte-shuffle + level 1,
 * what lut8 saves), beside plain deflate at level 1 and 6 (permessage-deflate's default).
 */
export function compareCodecs(full: Uint16Array, size: number, window: DisplayWindow): void {
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  const avgMs = (f: () => unknown, n = 5) => {
    f(); // warm up (JIT)
    const t0 = performance.now();
    for (let i = 0; i < n; i++) f();
    return (performance.now() - t0) / n;
  };
  // What the host's thread does for a camera frame (a plain ArrayBuffer) before the worker
  // sees it; frames already in a SharedArrayBuffer (FrameBus.publishCopy) are read in place.
  const copyMs = avgMs(() => {
    new Uint16Array(new SharedArrayBuffer(full.byteLength)).set(full);
  });
  // What it does now: the buffers of frames no longer shown are reused (shared-buffers.ts).
  const reused = new Uint16Array(new SharedArrayBuffer(full.byteLength));
  const reusedCopyMs = avgMs(() => reused.set(full));
  const buffers = {
    frame: new SharedArrayBuffer(full.byteLength),
    frameOffset: 0,
    levels: new SharedArrayBuffer(pyramidLayout(size, size).bytes),
    widthPx: size,
    heightPx: size,
  };
  new Uint16Array(buffers.frame).set(full);
  const allMs = avgMs(() => buildPyramid(buffers, 16));
  const level1Ms = avgMs(() => buildPyramid(buffers, 16, 1));
  const histMs = avgMs(() => buildPyramid(buffers, 16, 0));
  const { head, counts } = histogramToWire(buildPyramid(buffers, 16, 0));
  const countBytes = encodeHistogramCounts(counts).length;
  console.log(
    `\nper frame, load average ${load()}:` +
      `\n  host thread: copy of a camera frame into a fresh shared buffer ${copyMs.toFixed(1)} ms, ` +
      `into a reused one (what the host does) ${reusedCopyMs.toFixed(1)} ms (0 for a frame already shared)` +
      `\n  view worker: full-frame histogram alone ${histMs.toFixed(1)} ms; + levels 1–6 ` +
      `${allMs.toFixed(1)} ms; + level 1 only (a fitted 1024² view) ${level1Ms.toFixed(1)} ms ` +
      `(${(level1Ms / allMs).toFixed(2)}× all levels)` +
      `\n  histogram in the AQF2 header: ${head.bins} bins, ${countBytes} B binary ` +
      `vs ${JSON.stringify(Array.from(counts)).length} B as JSON`,
  );
  const reduced = reduceFrame(
    full,
    size,
    planView(size, size, { canvasWidthPx: 1024, canvasHeightPx: 1024 }),
  );
  const bytes = (px: Uint16Array) => Buffer.from(px.buffer, px.byteOffset, px.byteLength);
  console.log('\ncodec on one camera frame (encode time, size vs raw):');
  for (const [what, px] of [
    ['full 2048²', full],
    ['fitted 1024²', reduced],
  ] as const) {
    const raw = px.byteLength;
    const cases: [string, () => number][] = [
      [
        'deflate level 6 (permessage-deflate default)',
        () => deflateRawSync(bytes(px), { level: 6 }).length,
      ],
      ['deflate level 1', () => deflateRawSync(bytes(px), { level: 1 }).length],
      ['codec deflate: byte-shuffle + deflate 1', () => encodePixels(px, 'deflate').length],
      ['8-bit after window, no deflate', () => windowTo8Bit(px, window).length],
      ['codec lut8: 8-bit after window + deflate 1', () => encodePixels(px, 'lut8', window).length],
    ];
    for (const [name, f] of cases) {
      const n = f();
      const ms = avgMs(f, 3);
      console.log(
        `  ${what.padEnd(13)} ${name.padEnd(44)} ${ms.toFixed(1).padStart(6)} ms  ${((100 * n) / raw).toFixed(1).padStart(5)} % of raw`,
      );
    }
  }
}
