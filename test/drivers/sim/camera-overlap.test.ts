import { afterEach, describe, expect, it } from 'vitest';
import type { RawFrame } from '../../../drivers/devices';
import { OVERLAP_BUFFER_FRAMES } from '../../../drivers/sim/camera-options';
import { makeRig, type Rig } from './camera-rig';

const EXPOSURE_MS = 40;
const READOUT_MS = 25;

const rigs: Rig[] = [];
async function rig(overlap: boolean): Promise<Rig> {
  const r = await makeRig({ camera: { readoutMs: READOUT_MS, overlap } });
  rigs.push(r);
  r.parkOnCell(3);
  await r.camera.setExposureMs(EXPOSURE_MS);
  await r.laser.setPowerMw(50);
  await r.laser.setEmission(true);
  return r;
}
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});

async function snaps(r: Rig, n: number): Promise<RawFrame[]> {
  const out: RawFrame[] = [];
  for (let i = 0; i < n; i++) out.push(await r.camera.snap());
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Intervals between the ends of consecutive exposures (sensor timing), ms. */
function gaps(frames: RawFrame[]): number[] {
  return frames.slice(1).map((f, i) => f.timestampMs - frames[i]!.timestampMs);
}

describe('SimCamera overlap mode', () => {
  it('exposes back-to-back snaps one after the other, reading out during the next exposure', async () => {
    const frames = await snaps(await rig(true), 8);
    for (const g of gaps(frames)) expect(Math.abs(g - EXPOSURE_MS)).toBeLessThanOrEqual(1);
    frames.forEach((f, i) => expect(f.seq).toBe(i));
  });

  it('holds streamed frames for a late snap, up to its buffer, then starts afresh', async () => {
    const r = await rig(true);
    const a = await r.camera.snap();
    await sleep(1.5 * EXPOSURE_MS);
    const b = await r.camera.snap(); // exposed while the host was away
    expect(b.timestampMs - a.timestampMs).toBeLessThanOrEqual(EXPOSURE_MS + 1);
    await sleep((OVERLAP_BUFFER_FRAMES + 1.5) * EXPOSURE_MS);
    const c = await r.camera.snap();
    // Exposed after the snap was asked for (timestamps: end of exposure, sensor clock).
    expect(c.timestampMs - b.timestampMs).toBeGreaterThan(
      (OVERLAP_BUFFER_FRAMES + 2) * EXPOSURE_MS,
    );
  });

  it('exposes snaps one after the other plus read-out without it', async () => {
    const d = gaps(await snaps(await rig(false), 4));
    expect(Math.min(...d)).toBeGreaterThanOrEqual(EXPOSURE_MS + READOUT_MS - 1);
  });

  it('gives the same pixels as sequential snaps of the same scene', async () => {
    const a = await snaps(await rig(true), 4);
    const b = await snaps(await rig(false), 4);
    for (let i = 0; i < 4; i++) {
      expect(a[i]!.seq).toBe(b[i]!.seq);
      expect(Buffer.from(a[i]!.pixels.buffer).equals(Buffer.from(b[i]!.pixels.buffer))).toBe(true);
    }
  });

  it('starts a fresh exposure after the light, the stage or a setting changed', async () => {
    const r = await rig(true);
    const changes: Array<[string, () => Promise<void> | void]> = [
      [
        'laser off and on',
        async () => {
          await r.laser.setEmission(false);
          await r.laser.setEmission(true);
        },
      ],
      ['laser power', () => r.laser.setPowerMw(60)],
      ['stage', () => r.parkOnCell(3, 0, 1)],
      ['focus', () => r.parkOnCell(3, 0.5, 1)],
      ['exposure', () => r.camera.setExposureMs(EXPOSURE_MS)],
    ];
    let last = await r.camera.snap();
    for (const [what, change] of changes) {
      await change();
      const f = await r.camera.snap();
      // Its exposure began after the snap was asked for, not when `last`'s ended.
      expect(f.timestampMs - last.timestampMs, what).toBeGreaterThanOrEqual(
        EXPOSURE_MS + READOUT_MS - 1,
      );
      last = f;
    }
  });
});
