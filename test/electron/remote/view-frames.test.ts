import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { planView, type ViewRequest } from '../../../electron/api/frame-view';
import { FrameBus, type HostFrame } from '../../../electron/host/frame-bus';
import { StateStore } from '../../../electron/host/state-store';
import { encodeForView, type ClientView } from '../../../electron/remote/view-frames';
import type { ViewJob } from '../../../electron/remote/view-jobs';
import { closeViewPool, viewPool } from '../../../electron/remote/view-pool';
import { reduceFrame } from '../../../electron/remote/view-pyramid';
import { decodeViewFrame } from '../../../renderer/frames/decode-view-frame';
import { sampleMeta } from '../../renderer/frames/encode-for-test';
import { sampleState } from '../../renderer/state/sample-state';

const W = 256;
const H = 192;

function hostFrame(): HostFrame {
  let s = 11;
  const pixels = Uint16Array.from({ length: W * H }, () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return 100 + (s % 300);
  });
  const { sentAtMs: _, ...meta } = sampleMeta({ widthPx: W, heightPx: H, bitDepth: 16 });
  return { meta, pixels };
}

/** The decoded view a client gets, checked bit-exact against the direct block max. */
async function expectExact(frame: HostFrame, view: ViewRequest, codec: 'raw' | 'deflate') {
  const client: ClientView = { view, codec };
  const { header, payload } = await encodeForView(frame, client);
  const bytes = Buffer.concat([header, payload]);
  const decoded = await decodeViewFrame(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer,
  );
  const plan = planView(W, H, view);
  expect(decoded.view?.level).toBe(plan.level);
  expect(Array.from(decoded.reduced!)).toEqual(Array.from(reduceFrame(frame.pixels, W, plan)));
}

const fit = (c: number): ViewRequest => ({ canvasWidthPx: c, canvasHeightPx: c });

/** The jobs the view pool runs from now on (still run). */
function recordJobs(): ViewJob[] {
  const jobs: ViewJob[] = [];
  const pool = viewPool();
  const run = pool.run.bind(pool);
  vi.spyOn(pool, 'run').mockImplementation((job, transfer) => {
    jobs.push(job);
    return run(job, transfer);
  });
  return jobs;
}

/** Like recordJobs, but each job runs only once `release` is called (then all held so far). */
function holdJobs(): { jobs: ViewJob[]; release: () => void } {
  const jobs: ViewJob[] = [];
  const held: (() => void)[] = [];
  const pool = viewPool();
  const run = pool.run.bind(pool);
  vi.spyOn(pool, 'run').mockImplementation((job, transfer) => {
    jobs.push(job);
    return new Promise((resolve, reject) =>
      held.push(() => run(job, transfer).then(resolve, reject)),
    );
  });
  return { jobs, release: () => held.splice(0).forEach((go) => go()) };
}

describe('encodeForView', () => {
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => closeViewPool());

  it('builds the pyramid only down to the coarsest level a client asked for, once per frame', async () => {
    const jobs = recordJobs();
    const pyramidJobs = () =>
      jobs
        .filter((j) => j.kind !== 'encode')
        .map((j) => ({
          kind: j.kind,
          from: j.kind === 'levels' ? j.fromLevel : 1,
          to: j.toLevel,
        }));
    const frame = hostFrame();
    expect(planView(W, H, fit(128)).level).toBe(1);
    await expectExact(frame, fit(128), 'raw');
    expect(pyramidJobs()).toEqual([{ kind: 'pyramid', from: 1, to: 1 }]);
    // A second client further out: only the missing levels are added.
    expect(planView(W, H, fit(32)).level).toBe(3);
    await expectExact(frame, fit(32), 'deflate');
    expect(pyramidJobs()).toEqual([
      { kind: 'pyramid', from: 1, to: 1 },
      { kind: 'levels', from: 2, to: 3 },
    ]);
    // Levels already built cost nothing more; two clients asking at once share the extension.
    await Promise.all([
      expectExact(frame, fit(64), 'raw'),
      expectExact(frame, fit(4), 'raw'),
      expectExact(frame, { ...fit(4), region: { x: 64, y: 64, width: 128, height: 64 } }, 'raw'),
    ]);
    expect(pyramidJobs().slice(2)).toEqual([{ kind: 'levels', from: 4, to: 6 }]);
    // A new frame starts again from its first client's level.
    await expectExact(hostFrame(), fit(256), 'deflate');
    expect(pyramidJobs().at(-1)).toEqual({ kind: 'pyramid', from: 1, to: 0 });
  });

  it('reads a frame already in a SharedArrayBuffer in place; copies a camera frame once', async () => {
    const bus = new FrameBus(new StateStore(sampleState()));
    let shown: HostFrame | null = null;
    bus.subscribe((f) => (shown = f));
    const run = hostFrame();
    bus.publishCopy(run.meta, run.pixels);
    const copy = shown! as HostFrame;
    expect(copy.pixels.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(copy.pixels).toEqual(run.pixels);
    const jobs = recordJobs();
    await expectExact(copy, fit(64), 'raw');
    const first = jobs[0]!;
    expect(first.frame).toBe(copy.pixels.buffer);
    // A frame the camera handed over (a plain ArrayBuffer): one copy into a shared buffer.
    const camera = hostFrame();
    await expectExact(camera, fit(64), 'deflate');
    const second = jobs.find((j) => j.kind === 'pyramid' && j !== first)!;
    expect(second.frame).not.toBe(camera.pixels.buffer);
    expect(new Uint16Array(second.frame, second.frameOffset, W * H)).toEqual(camera.pixels);
  });

  it("reuses an older frame's shared buffers for a new frame, only once that frame's jobs finished", async () => {
    const { jobs, release } = holdJobs();
    const pyramidJob = (n: number) => jobs.filter((j) => j.kind === 'pyramid')[n]!;
    const frames = [hostFrame(), hostFrame(), hostFrame(), hostFrame()];
    frames.forEach((f, i) => f.pixels.fill(1000 * (i + 1), 0, W)); // tell them apart
    // Frames 0 and 1 are prepared; their jobs have not run yet.
    const first = [
      expectExact(frames[0]!, fit(64), 'raw'),
      expectExact(frames[1]!, fit(64), 'deflate'),
    ];
    await Promise.resolve();
    const [a, b] = [pyramidJob(0), pyramidJob(1)];
    // Frame 2 arrives while frame 0's jobs are still pending: its buffers stay frame 0's.
    const third = expectExact(frames[2]!, fit(64), 'raw');
    await new Promise((r) => setTimeout(r, 10));
    const c = pyramidJob(2);
    for (const old of [a, b]) {
      expect(c.frame).not.toBe(old.frame);
      expect(c.levels).not.toBe(old.levels);
    }
    // Once they finished, the next frame is copied into a buffer an older frame had.
    while (jobs.length < 6) {
      release();
      await new Promise((r) => setTimeout(r, 1));
    }
    release();
    await Promise.all([...first, third]);
    await new Promise((r) => setTimeout(r, 1));
    const fourth = expectExact(frames[3]!, fit(64), 'deflate');
    const d = pyramidJob(3);
    expect([a.frame, b.frame]).toContain(d.frame);
    expect([a.levels, b.levels]).toContain(d.levels);
    expect(new Uint16Array(d.frame, 0, W * H)).toEqual(frames[3]!.pixels);
    while (jobs.length < 8) {
      release();
      await new Promise((r) => setTimeout(r, 1));
    }
    release();
    await fourth;
  });
});
