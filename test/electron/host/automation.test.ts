/** Automation commands through the API on the simulated microscope: validation, exclusivity, ROIs, autofocus, the focus lock, useq autofocus. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  basePlan,
  colony,
  CTX,
  startAutomationHost,
  STILL,
  truthOf,
} from '../../support/automation-rig';
import {
  smallSimConfig,
  startTestHost,
  TestClient,
  type HostFixture,
} from '../../support/host-fixture';
import { tempDir } from '../../support/temp-dir';
import { until } from '../../support/wait';

let fx: HostFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const host = startAutomationHost;

describe('automation commands', () => {
  it('validates parameters and plans, naming the bad field', async () => {
    const { h } = await host();
    const noPlan = await h.call('automation.start', {}, CTX);
    expect(noPlan).toMatchObject({ ok: false, error: { code: 'E_INVALID' } });
    expect(!noPlan.ok && noPlan.error.message).toMatch(/give a plan, or resume/);
    const bad = await h.call(
      'automation.start',
      { plan: { ...basePlan, maxRois: -1, roi: { ...basePlan.roi, stopFraction: 2 } } },
      CTX,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'E_INVALID' } });
    expect(!bad.ok && bad.error.message).toMatch(/maxRois.*\n.*roi\.stopFraction/s);
    const badTarget = await h.call(
      'automation.start',
      { plan: { ...basePlan, uploadTarget: 'nowhere' } },
      CTX,
    );
    expect(!badTarget.ok && badTarget.error.message).toMatch(/uploadTarget "nowhere"/);
    for (const resume of ['/etc', '../elsewhere', 'a/b']) {
      const r = await h.call('automation.start', { resume }, CTX);
      expect(!r.ok && r.error.message).toMatch(/is not a run folder inside the datasets folder/);
    }
    const noJournal = await h.call('automation.start', { resume: 'never-ran' }, CTX);
    expect(!noJournal.ok && noJournal.error.message).toMatch(/no readable journal\.jsonl/);
    const badRois = await h.call('rois.find', { threshold: 'median' }, CTX);
    expect(badRois).toMatchObject({ ok: false, error: { code: 'E_INVALID' } });
    const badHysteresis = await h.call('rois.find', { hysteresis: 2 }, CTX);
    expect(!badHysteresis.ok && badHysteresis.error.message).toMatch(/hysteresis/);
    const noLock = await h.call('focusLock.lock', {}, CTX);
    expect(!noLock.ok && noLock.error.message).toMatch(/focus-sensor/);
    expect(await h.call('automation.pause', {}, CTX)).toMatchObject({
      ok: false,
      error: { code: 'E_STATE' },
    });
  });

  it('refuses automation while an MDA run is in progress', async () => {
    const { h } = await host();
    const run = await h.call(
      'run.start',
      {
        plan: {
          channels: [{ config: 'GFP', exposure: 5 }],
          time_plan: { interval: 0, loops: 500 },
        },
      },
      CTX,
    );
    expect(run.ok).toBe(true);
    for (const [name, args] of [
      ['automation.start', { plan: basePlan }],
      ['autofocus.run', {}],
      ['rois.find', {}],
    ] as const) {
      const r = await h.call(name, args, CTX);
      expect(r).toMatchObject({ ok: false, error: { code: 'E_STATE' } });
      expect(!r.ok && r.error.message).toMatch(/an acquisition run is in progress/);
    }
    await h.call('run.cancel', {}, CTX);
    await h.acquisition.whenIdle();
  });

  it('rois.find returns the cells of the field in pixels and stage µm', async () => {
    const { h, truth } = await host();
    const { c, all } = colony(truth);
    await h.call('stage.moveTo', { xUm: c.xUm, yUm: c.yUm }, CTX);
    await h.call('channel.apply', { name: 'GFP' }, CTX);
    const r = await h.call(
      'rois.find',
      { backgroundRadiusPx: 0, minAreaPx: 300, hysteresis: 0.5, split: true },
      CTX,
    );
    await h.call('laser.allOff', {}, CTX);
    expect(r.ok).toBe(true);
    const { rois } = (r as { ok: true; value: { rois: { xUm: number; yUm: number }[] } }).value;
    expect(rois.length).toBeGreaterThan(0);
    // Every ROI lies on a true cell; the cell under the stage is among them.
    for (const roi of rois)
      expect(all.some((t) => Math.hypot(t.xUm - roi.xUm, t.yUm - roi.yUm) < t.radiusUm)).toBe(true);
    expect(rois.some((roi) => Math.hypot(roi.xUm - c.xUm, roi.yUm - c.yUm) < c.radiusUm)).toBe(
      true,
    );
  });
});

describe('ROI verdicts', () => {
  it('are host state: every client sees them, a new find resets them, stale or bad ones are refused', async () => {
    const config = smallSimConfig({
      storage: { datasetsRoot: tempDir('aquila-rois-') },
      sim: STILL,
    });
    fx = await startTestHost(config);
    const h = fx.host;
    const { c } = colony(truthOf(config));
    await h.call('stage.moveTo', { xUm: c.xUm, yUm: c.yUm }, CTX);
    await h.call('channel.apply', { name: 'GFP' }, CTX);
    const options = { backgroundRadiusPx: 0, minAreaPx: 300, hysteresis: 0.5, split: true };
    const found = await h.call('rois.find', options, CTX);
    expect(found.ok).toBe(true);
    const f = h.store.state.roiFinder!;
    expect(f.rois.length).toBeGreaterThanOrEqual(2);
    expect(f.verdicts).toEqual(f.rois.map(() => 'pending'));
    expect(f.atStageUm.xUm).toBeCloseTo(c.xUm, 3);
    const cam = h.store.state.camera!;
    expect(f.umPerPx).toBeCloseTo(cam.pixelSizeUm * cam.binning, 9);
    expect(f).toMatchObject((found as { value: object }).value);

    const set = (index: number, verdict: string, frameSeq = f.frameSeq) =>
      h.call('rois.setVerdict', { frameSeq, index, verdict }, CTX);
    expect((await set(1, 'accepted')).ok).toBe(true);
    expect((await set(0, 'rejected')).ok).toBe(true);
    const expected = f.rois.map((_, i) =>
      i === 0 ? 'rejected' : i === 1 ? 'accepted' : 'pending',
    );
    expect(h.store.state.roiFinder!.verdicts).toEqual(expected);
    // A client connecting now (a reload, a second browser) gets them in its snapshot.
    const client = await TestClient.connect(fx);
    await client.until(() => client.messages.some((m) => m.type === 'hello'));
    const hello = client.messages.find((m) => m.type === 'hello');
    expect(hello?.type === 'hello' && hello.state.roiFinder?.verdicts).toEqual(expected);
    // …and sees a change made by another client as a patch.
    expect((await set(1, 'pending')).ok).toBe(true);
    await client.until(
      () =>
        client.messages.some((m) => m.type === 'patch' && JSON.stringify(m).includes('roiFinder')),
      5_000,
      'the verdict patch',
    );
    client.close();

    const outOfRange = await set(f.rois.length, 'accepted');
    expect(outOfRange).toMatchObject({ ok: false, error: { code: 'E_INVALID' } });
    expect(!outOfRange.ok && outOfRange.error.message).toMatch(/index \d+ is out of range/);
    expect(
      await h.call('rois.setVerdict', { frameSeq: f.frameSeq, index: 0, verdict: 'maybe' }, CTX),
    ).toMatchObject({ ok: false, error: { code: 'E_INVALID' } });
    // A new find replaces the list: verdicts for the old one are refused, the new one starts pending.
    expect((await h.call('rois.find', options, CTX)).ok).toBe(true);
    await h.call('laser.allOff', {}, CTX);
    const g = h.store.state.roiFinder!;
    expect(g.frameSeq).toBeGreaterThan(f.frameSeq);
    expect(g.verdicts.every((v) => v === 'pending')).toBe(true);
    const stale = await set(0, 'accepted', f.frameSeq);
    expect(stale).toMatchObject({ ok: false, error: { code: 'E_STATE' } });
    expect(!stale.ok && stale.error.message).toMatch(/no longer current/);
    expect((await h.call('rois.clear', {}, CTX)).ok).toBe(true);
    expect(h.store.state.roiFinder).toBeNull();
    expect(await set(0, 'accepted', g.frameSeq)).toMatchObject({
      ok: false,
      error: { code: 'E_STATE' },
    });
  });
});

describe('autofocus and focus lock commands', () => {
  it('autofocus.run finds the in-focus plane of a field with cells and returns its curve', async () => {
    const { h, truth } = await host();
    const { c } = colony(truth);
    await h.call('stage.moveTo', { xUm: c.xUm, yUm: c.yUm }, CTX);
    await h.call('focus.moveTo', { zUm: 6 }, CTX);
    await h.call('channel.apply', { name: 'GFP' }, CTX);
    const r = await h.call('autofocus.run', { rangeUm: 15, toleranceUm: 0.3 }, CTX);
    await h.call('laser.allOff', {}, CTX);
    expect(r.ok).toBe(true);
    const v = (r as { ok: true; value: { zUm: number; startZUm: number; curve: unknown[] } }).value;
    expect(v.startZUm).toBeCloseTo(6, 3);
    expect(Math.abs(v.zUm - truth.focusZUm(c.xUm, c.yUm))).toBeLessThan(2);
    expect(v.curve.length).toBeGreaterThanOrEqual(5);
    expect(h.store.state.focus!.zUm).toBeCloseTo(v.zUm, 1);
  });

  it('autofocus.run over an empty field fails with E_AUTOFOCUS and leaves Z where it was', async () => {
    const { h } = await host();
    await h.call('stage.moveTo', { xUm: 900, yUm: 900 }, CTX); // outside the populated slide
    await h.call('focus.moveTo', { zUm: 3 }, CTX);
    await h.call('channel.apply', { name: 'GFP' }, CTX);
    const r = await h.call('autofocus.run', { rangeUm: 10 }, CTX);
    await h.call('laser.allOff', {}, CTX);
    expect(r).toMatchObject({ ok: false, error: { code: 'E_AUTOFOCUS' } });
    expect(await h.devices.focus!.getPositionUm()).toBeCloseTo(3, 3);
  });

  it('focusLock: calibrate, lock, offset and unlock through the API, mirrored in state', async () => {
    const root = tempDir('aquila-lock-');
    const base = smallSimConfig({ storage: { datasetsRoot: root }, sim: STILL });
    fx = await startTestHost({
      ...base,
      devices: [...base.devices, { id: 'pfs', kind: 'focus-sensor', driver: 'sim', options: {} }],
    });
    const h = fx.host;
    expect(h.store.state.focusLock).toMatchObject({ state: 'off', calibrated: false });
    const lockFirst = await h.call('focusLock.lock', {}, CTX);
    expect(lockFirst).toMatchObject({ ok: false });
    const cal = await h.call('focusLock.calibrate', {}, CTX);
    expect(cal.ok).toBe(true);
    expect(
      Math.abs((cal as { ok: true; value: { pxPerUm: number } }).value.pxPerUm),
    ).toBeGreaterThan(1);
    expect(h.store.state.focusLock?.calibrated).toBe(true);
    expect(await h.call('focusLock.lock', {}, CTX)).toMatchObject({ ok: true });
    expect(h.store.state.focusLock?.state).toBe('locked');
    const z0 = await h.devices.focus!.getPositionUm();
    expect(await h.call('focusLock.setOffset', { offsetUm: 1 }, CTX)).toMatchObject({ ok: true });
    await until(
      'the lock to follow the offset',
      () => Math.abs(h.store.state.focus!.zUm - (z0 + 1)) < 0.1,
      5_000,
    );
    expect(h.store.state.focusLock?.offsetUm).toBe(1);
    expect(await h.call('focusLock.unlock', {}, CTX)).toMatchObject({ ok: true });
    expect(h.store.state.focusLock?.state).toBe('off');
  });
});

describe('useq autofocus_plan in MDA runs', () => {
  async function lockHost() {
    const root = tempDir('aquila-af-');
    const base = smallSimConfig({ storage: { datasetsRoot: root }, sim: STILL });
    const config = {
      ...base,
      devices: [...base.devices, { id: 'pfs', kind: 'focus-sensor', driver: 'sim', options: {} }],
    };
    fx = await startTestHost(config);
    const truth = truthOf(config);
    return { h: fx.host, truth };
  }
  const planAt = (
    c: { xUm: number; yUm: number },
    device: string | null,
    offset: number | null,
  ) => ({
    stage_positions: [
      { x: c.xUm, y: c.yUm },
      { x: c.xUm + 20, y: c.yUm },
    ],
    channels: [{ config: 'GFP', exposure: 5 }],
    autofocus_plan: { axes: ['p'], autofocus_device_name: device, autofocus_motor_offset: offset },
  });

  it('the focus-sensor device runs the focus lock (offset from autofocus_motor_offset)', async () => {
    const { h, truth } = await lockHost();
    const { c } = colony(truth);
    expect((await h.call('focusLock.calibrate', {}, CTX)).ok).toBe(true);
    expect((await h.call('run.start', { plan: planAt(c, 'pfs', 0.5) }, CTX)).ok).toBe(true);
    await h.acquisition.whenIdle();
    const run = h.store.state.run!;
    expect(run.errors).toEqual([]);
    expect(run).toMatchObject({ state: 'finished', framesWritten: 2 });
    expect(h.store.state.focusLock).toMatchObject({ state: 'locked', offsetUm: 0.5 });
    await h.call('focusLock.unlock', {}, CTX);
  });

  it('"software" runs the software autofocus; an unknown device fails each autofocus event clearly', async () => {
    const { h, truth } = await lockHost();
    const { c } = colony(truth);
    await h.call('focus.moveTo', { zUm: 3 }, CTX);
    expect((await h.call('run.start', { plan: planAt(c, 'software', null) }, CTX)).ok).toBe(true);
    await h.acquisition.whenIdle();
    expect(h.store.state.run).toMatchObject({ state: 'finished', framesWritten: 2, errors: [] });
    const z = await h.devices.focus!.getPositionUm();
    expect(z).toBeCloseTo(3, 3); // the run restored Z; the frames were taken in focus:
    const frames = readFileSync(path.join(h.store.state.run!.dir, 'frames.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { meta: { stage: { zUm: number } } });
    for (const f of frames)
      expect(Math.abs(f.meta.stage.zUm - truth.focusZUm(c.xUm, c.yUm))).toBeLessThan(2);
    expect((await h.call('run.start', { plan: planAt(c, 'PFS-Offset', null) }, CTX)).ok).toBe(true);
    await h.acquisition.whenIdle();
    const errors = h.store.state.run!.errors;
    expect(errors).toHaveLength(2);
    expect(errors[0]!.message).toMatch(
      /autofocus device "PFS-Offset" is not configured \(use "pfs" \(focus lock\) or "software"\)/,
    );
  });
});
