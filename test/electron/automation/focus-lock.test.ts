import { describe, expect, it } from 'vitest';
import type { FocusSensor } from '../../../drivers/devices';
import { FocusLock, type FocusLockOptions } from '../../../electron/automation/focus-lock';
import { focusLockRig, rms, runUntil, sampleFor } from './focus-lock-rig';

const rejection = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a rejection');
};

async function lockedRig(
  rigOptions: Parameters<typeof focusLockRig>[0] = {},
  recover = false,
  options: FocusLockOptions = {},
) {
  const rig = await focusLockRig(rigOptions);
  await rig.focusHere();
  const lock = new FocusLock(
    { sensor: rig.sensor, focus: rig.focus },
    { sleep: rig.sleep, recover, ...options },
  );
  await lock.calibrate();
  return { rig, lock };
}

describe('FocusLock calibration', () => {
  it('finds the simulated slope and returns Z to where it started', async () => {
    for (const pxPerUm of [40, -25]) {
      const rig = await focusLockRig({ world: { drift: undefined }, sensor: { pxPerUm } });
      await rig.focusHere();
      const z0 = rig.zUm();
      const lock = new FocusLock({ sensor: rig.sensor, focus: rig.focus }, { sleep: rig.sleep });
      const cal = await lock.calibrate({ spanUm: 4, steps: 9 });
      expect(cal.pxPerUm).toBeGreaterThan(pxPerUm - Math.abs(pxPerUm) * 0.03);
      expect(cal.pxPerUm).toBeLessThan(pxPerUm + Math.abs(pxPerUm) * 0.03);
      expect(cal.residualPx).toBeLessThan(1);
      expect(rig.zUm()).toBeCloseTo(z0, 9);
    }
  });

  it('fails clearly without a signal, and leaves Z where it was', async () => {
    const rig = await focusLockRig();
    await rig.focusHere();
    const z0 = rig.zUm();
    rig.sensor.blocked = true;
    const lock = new FocusLock({ sensor: rig.sensor, focus: rig.focus }, { sleep: rig.sleep });
    const err = await rejection(lock.calibrate());
    expect(err.code).toBe('E_FOCUS_LOCK');
    expect(err.message).toMatch(/no focus-sensor signal at z = /);
    expect(rig.zUm()).toBeCloseTo(z0, 9);
    expect(lock.status().state).toBe('off');
  });

  it('fails clearly when the spot does not move with Z', async () => {
    const rig = await focusLockRig();
    let n = 0;
    const stuck: FocusSensor = {
      id: 'stuck',
      kind: 'focus-sensor',
      rangePx: { min: 0, max: 1023 },
      connect: async () => ({ vendor: 't', model: 't', serial: 't', firmware: 't' }),
      disconnect: async () => undefined,
      subscribe: () => () => undefined,
      read: async () => ({ positionPx: 500 + (n++ % 2) * 0.3, signal: 1, timestampMs: 0 }),
    };
    const lock = new FocusLock({ sensor: stuck, focus: rig.focus }, { sleep: rig.sleep });
    const err = await rejection(lock.calibrate());
    expect(err.code).toBe('E_FOCUS_LOCK');
    expect(err.message).toMatch(/barely moves with Z/);
  });

  it('refuses to lock before calibration', async () => {
    const rig = await focusLockRig();
    const lock = new FocusLock({ sensor: rig.sensor, focus: rig.focus }, { sleep: rig.sleep });
    expect((await rejection(lock.lock())).code).toBe('E_STATE');
  });
});

describe('FocusLock loop', () => {
  it('holds focus through thermal drift, steps and XY drift (RMS ≪ depth of field)', async () => {
    const { rig, lock } = await lockedRig();
    const start = rig.focusErrorUm();
    await lock.lock();
    expect(lock.status().state).toBe('locked');
    const errors = await sampleFor(rig, 5 * 60_000, () => rig.focusErrorUm() - start);
    lock.unlock();
    const drift = Math.abs(rig.world.truth.focusZUm(0, 0) - rig.zUm());
    expect(errors.length).toBeGreaterThan(10_000);
    expect(rms(errors)).toBeLessThan(0.03);
    // The same drift with no lock would have put the sample well out of focus.
    const unlockedStart = rig.focusErrorUm();
    await rig.pass(5 * 60_000);
    expect(Math.abs(rig.focusErrorUm() - unlockedStart)).toBeGreaterThan(0.5);
    expect(drift).toBeLessThan(rig.world.truth.depthOfFieldUm);
  });

  it('recovers from abrupt focus steps within a few iterations', async () => {
    const { rig, lock } = await lockedRig({
      world: { drift: { zUmPerMin: 0, zStepProbPerMin: 1, zStepUm: 0.5, xyUmPerMin: 0 } },
    });
    const start = rig.focusErrorUm();
    await lock.lock();
    const errors = await sampleFor(rig, 3 * 60_000, () => rig.focusErrorUm() - start);
    lock.unlock();
    // 3 steps of 0.5 µm (one per simulated minute); each off by > 50 nm for ≤ 8 ticks.
    const off = errors.filter((e) => Math.abs(e) > 0.05).length;
    expect(off).toBeGreaterThanOrEqual(2);
    expect(off).toBeLessThanOrEqual(3 * 8);
  });

  it('bounds each correction by maxStepUm', async () => {
    const steps = { zUmPerMin: 0, zStepProbPerMin: 1, zStepUm: 1.5, xyUmPerMin: 0 };
    const { rig, lock } = await lockedRig({ world: { drift: steps } }, false, {
      maxStepUm: 0.1,
      maxErrorUm: 5,
      lostAfterSamples: 100,
    });
    const start = rig.focusErrorUm();
    await lock.lock();
    let prev = rig.zUm();
    const moves = await sampleFor(rig, 2 * 60_000, () => {
      const d = rig.zUm() - prev;
      prev = rig.zUm();
      return Math.abs(d);
    });
    lock.unlock();
    expect(Math.max(...moves)).toBeGreaterThan(0.099);
    expect(Math.max(...moves)).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(Math.abs(rig.focusErrorUm() - start)).toBeLessThan(0.05);
  });

  it('reports an error beyond maxErrorUm for lostAfterSamples samples as lost', async () => {
    const steps = { zUmPerMin: 0, zStepProbPerMin: 1, zStepUm: 3, xyUmPerMin: 0 };
    const { rig, lock } = await lockedRig({ world: { drift: steps } }, false, { maxErrorUm: 2 });
    await lock.lock();
    const reasons: string[] = [];
    lock.onLost((r) => reasons.push(r));
    await runUntil(rig, () => lock.status().state === 'lost', 2 * 60_000);
    expect(reasons).toEqual([
      expect.stringMatching(/focus error -?(2\.9|3\.0)\d µm beyond ±2 µm for 5 samples/),
    ]);
    expect(lock.status().errorUm).not.toBeNull();
  });

  it('applies an offset relative to the locked plane', async () => {
    const { rig, lock } = await lockedRig();
    const start = rig.focusErrorUm();
    await lock.lock();
    lock.setOffsetUm(1.5);
    const errors = await sampleFor(rig, 10_000, () => rig.focusErrorUm() - start);
    expect(lock.status()).toMatchObject({ state: 'locked', offsetUm: 1.5 });
    expect(Math.abs((errors.at(-1) ?? NaN) - 1.5)).toBeLessThan(0.03);
    lock.setOffsetUm(-0.5);
    const back = await sampleFor(rig, 10_000, () => rig.focusErrorUm() - start);
    expect(Math.abs((back.at(-1) ?? NaN) + 0.5)).toBeLessThan(0.03);
    lock.unlock();
  });

  it('locks on the current plane whatever the offset; later offsets move relative to it', async () => {
    const { rig, lock } = await lockedRig({
      world: { drift: { zUmPerMin: 0, zStepProbPerMin: 0, zStepUm: 0, xyUmPerMin: 0 } },
    });
    lock.setOffsetUm(1);
    const z0 = rig.zUm();
    await lock.lock();
    await sampleFor(rig, 2_000, () => 0);
    expect(Math.abs(rig.zUm() - z0)).toBeLessThan(0.03);
    lock.setOffsetUm(0);
    await sampleFor(rig, 5_000, () => 0);
    expect(lock.status()).toMatchObject({ state: 'locked', offsetUm: 0 });
    expect(Math.abs(rig.zUm() - (z0 - 1))).toBeLessThan(0.03);
    lock.unlock();
  });

  it('reports a blocked sensor as lost, once, and stops moving Z', async () => {
    const { rig, lock } = await lockedRig();
    await lock.lock();
    const reasons: string[] = [];
    lock.onLost((r) => reasons.push(r));
    await sampleFor(rig, 1_000, () => 0);
    rig.sensor.blocked = true;
    await rig.pass(1_000);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/no usable focus-sensor spot/);
    expect(lock.status()).toMatchObject({ state: 'lost', reason: reasons[0] });
    const z = rig.zUm();
    await rig.pass(2_000);
    expect(rig.zUm()).toBe(z);
    rig.sensor.blocked = false;
    await rig.pass(200);
    expect(lock.status().state).toBe('lost');
  });

  it('with recover, re-acquires when the spot returns, from anywhere in the capture range', async () => {
    const { rig, lock } = await lockedRig({}, true);
    const start = rig.focusErrorUm();
    await lock.lock();
    const lost: string[] = [];
    lock.onLost((r) => lost.push(r));
    rig.sensor.blocked = true;
    await sampleFor(rig, 30_000, () => 0);
    expect(lock.status().state).toBe('lost');
    await rig.focus.moveToUm(rig.zUm() + 4); // beyond maxErrorUm (2 µm), within capture range
    rig.sensor.blocked = false;
    let maxStep = 0;
    let prev = rig.zUm();
    const off = rig.onTick(() => {
      maxStep = Math.max(maxStep, Math.abs(rig.zUm() - prev));
      prev = rig.zUm();
    });
    await runUntil(rig, () => lock.status().state === 'locked', 10_000);
    off();
    expect(Math.abs(rig.focusErrorUm() - start)).toBeLessThan(0.05);
    expect(maxStep).toBeLessThanOrEqual(0.5 + 1e-9);
    expect(lost).toHaveLength(1);
    lock.unlock();
  });

  it('stops at an e-stop: the guarded Z drive refuses the next correction', async () => {
    const { rig, lock } = await lockedRig();
    await lock.lock();
    const reasons: string[] = [];
    lock.onLost((r) => reasons.push(r));
    await rig.safety.estop('test');
    await runUntil(rig, () => lock.status().state === 'lost', 5 * 60_000);
    expect(reasons).toEqual([expect.stringMatching(/^focus lock stopped: E_ESTOP: /)]);
  });

  it('goes through the guarded Z drive: a refused move ends the lock with the limit error', async () => {
    const { rig, lock } = await lockedRig({
      world: { drift: { zUmPerMin: 2, zStepProbPerMin: 0, zStepUm: 0, xyUmPerMin: 0 } },
      zLimitsUm: { min: -100, max: 2.5 },
    });
    await lock.lock();
    const reasons: string[] = [];
    lock.onLost((r) => reasons.push(r));
    let maxZ = -Infinity;
    const off = rig.onTick(() => (maxZ = Math.max(maxZ, rig.zUm())));
    await runUntil(rig, () => lock.status().state === 'lost', 5 * 60_000);
    off();
    expect(lock.status().state).toBe('lost');
    expect(reasons[0]).toMatch(/^focus lock stopped: E_LIMIT: Focus move refused/);
    expect(maxZ).toBeGreaterThan(2.2);
    expect(maxZ).toBeLessThanOrEqual(2.5);
  });
});
