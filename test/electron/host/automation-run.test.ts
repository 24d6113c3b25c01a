/** FLImP-style runs through the API on the simulated microscope: datasets, uploads, cancel, e-stop. */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
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
import { smallSimConfig, startTestHost, type HostFixture } from '../../support/host-fixture';
import { tempDir } from '../../support/temp-dir';
import { until } from '../../support/wait';

let fx: HostFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const host = startAutomationHost;

describe('FLImP-style run', () => {
  it('completes: one closed dataset per imaged ROI (centred on a true cell, bleached), report, lasers off', async () => {
    const { root, h, truth } = await host();
    const { c, all } = colony(truth);
    // Out of focus at the start: tiles and ROIs are brought into focus by software autofocus.
    await h.call('focus.moveTo', { zUm: 3 }, CTX);
    const plan = {
      ...basePlan,
      scan: { ...basePlan.scan, centreUm: { xUm: c.xUm, yUm: c.yUm } },
      tileFocus: { mode: 'software', rangeUm: 8, toleranceUm: 0.5 },
      roi: { ...basePlan.roi, focus: { mode: 'software', rangeUm: 8, toleranceUm: 0.3 } },
    };
    const started = await h.call('automation.start', { plan, name: 'small' }, CTX);
    expect(started).toMatchObject({ ok: true, value: { dir: path.join(root, 'small'), tiles: 9 } });
    // One run at a time, and no MDA run beside it.
    const again = await h.call('automation.start', { plan, name: 'other' }, CTX);
    expect(!again.ok && again.error.message).toMatch(/automation run is in progress/);
    const mda = await h.call(
      'run.start',
      { plan: { channels: [{ config: 'GFP', exposure: 5 }] } },
      CTX,
    );
    expect(!mda.ok && mda.error.message).toMatch(/automation is in progress/);
    await h.automation.whenIdle();
    const v = h.store.state.automation!;
    expect(v.failure).toBeNull();
    expect(v.phase).toBe('finished');
    expect(v.imaged).toBe(3);
    const imaged = v.rois.filter((r) => r.state === 'imaged');
    for (const r of imaged) {
      expect(all.some((t) => Math.hypot(t.xUm - r.xUm, t.yUm - r.yUm) < t.radiusUm)).toBe(true);
      const dir = r.dataset!;
      expect(path.dirname(dir)).toBe(root);
      expect(existsSync(path.join(dir, 'manifest.sha256'))).toBe(true);
      const prov = JSON.parse(readFileSync(path.join(dir, 'provenance.json'), 'utf8'));
      expect(prov.outcome).toBe('complete');
      expect(prov.progress.framesWritten).toBe(r.frames);
      expect(r.frames).toBeGreaterThanOrEqual(3);
      expect(r.frames).toBeLessThan(40);
    }
    const report = JSON.parse(readFileSync(path.join(root, 'small', 'report.json'), 'utf8'));
    expect(report.counts.imaged).toBe(3);
    for (const r of report.rois.filter((x: { state: string }) => x.state === 'imaged')) {
      expect(r.finalFraction).toBeLessThan(0.85);
      expect(r.driftNm).toBeLessThan(200);
      expect(r.focus.mode).toBe('software');
      expect(Math.abs(r.focus.zUm - truth.focusZUm(r.xUm, r.yUm))).toBeLessThan(2);
      expect(r.focus.curve.length).toBeGreaterThanOrEqual(5);
    }
    expect(readFileSync(path.join(root, 'small', 'report.html'), 'utf8')).toContain('<svg');
    expect(readdirSync(path.join(root, 'small', 'thumbs')).length).toBeGreaterThanOrEqual(1 + 3);
    for (const l of Object.values(h.store.state.lasers)) expect(l.emission).toBe(false);
    for (const l of h.devices.lasers.values()) expect(await l.getEmission()).toBe(false);
    // The datasets list shows them; the run folder itself is not a dataset.
    expect(h.store.state.datasets.map((d) => d.name).sort()).toEqual(
      imaged.map((r) => path.basename(r.dataset!)).sort(),
    );
  });

  it('queues each ROI dataset to the plan’s upload target as it closes', async () => {
    const tmp = tempDir('aquila-auto-up-');
    const archive = path.join(tmp, 'archive');
    mkdirSync(archive);
    const config = smallSimConfig({
      storage: { datasetsRoot: path.join(tmp, 'data') },
      sim: STILL,
      upload: {
        targets: [{ name: 'cephfs', kind: 'filesystem', path: archive }],
        journalDir: path.join(tmp, 'journal'),
      },
    });
    fx = await startTestHost(config);
    const h = fx.host;
    const truth = truthOf(config);
    const { c } = colony(truth);
    const plan = {
      ...basePlan,
      maxRois: 2,
      uploadTarget: 'cephfs',
      scan: { ...basePlan.scan, centreUm: { xUm: c.xUm, yUm: c.yUm } },
    };
    expect((await h.call('automation.start', { plan, name: 'up' }, CTX)).ok).toBe(true);
    await h.automation.whenIdle();
    const imaged = h.store.state.automation!.rois.filter((r) => r.state === 'imaged');
    expect(imaged).toHaveLength(2);
    expect(h.store.state.uploads.map((u) => [u.dataset, u.target]).sort()).toEqual(
      imaged.map((r) => [r.dataset, 'cephfs']).sort(),
    );
    await until(
      'both uploads verified',
      () => h.store.state.uploads.filter((u) => u.state === 'done').length === 2,
      30_000,
    );
    expect(readdirSync(archive).sort()).toEqual(
      imaged.map((r) => path.basename(r.dataset!)).sort(),
    );
  });

  it('automation.cancel ends the run at a frame boundary: lasers off, hardware restored, report', async () => {
    const { h, truth } = await host();
    const { c } = colony(truth);
    await h.call('stage.moveTo', { xUm: 10, yUm: 20 }, CTX);
    const plan = {
      ...basePlan,
      scan: { ...basePlan.scan, centreUm: { xUm: c.xUm, yUm: c.yUm } },
      roi: { ...basePlan.roi, stopFraction: 0, maxFrames: 1000 },
    };
    expect((await h.call('automation.start', { plan, name: 'cancelled' }, CTX)).ok).toBe(true);
    await until(
      'an ROI being imaged',
      () => (h.store.state.automation?.rois.find((r) => r.state === 'imaging')?.frames ?? 0) > 2,
      20_000,
    );
    expect(await h.call('automation.pause', {}, CTX)).toMatchObject({ ok: true });
    await until('paused', () => h.store.state.automation?.phase === 'paused', 5_000);
    for (const l of h.devices.lasers.values()) expect(await l.getEmission()).toBe(false);
    expect(await h.call('automation.cancel', {}, CTX)).toMatchObject({ ok: true });
    await h.automation.whenIdle();
    const v = h.store.state.automation!;
    expect(v.phase).toBe('cancelled');
    for (const l of h.devices.lasers.values()) expect(await l.getEmission()).toBe(false);
    expect(await h.devices.stage!.getPositionUm()).toEqual({ xUm: 10, yUm: 20 });
    expect(JSON.parse(readFileSync(path.join(v.dir, 'report.json'), 'utf8')).phase).toBe(
      'cancelled',
    );
  });

  it('e-stop mid-run ends it at once with every laser off', async () => {
    const { h, truth } = await host();
    const { c } = colony(truth);
    const plan = {
      ...basePlan,
      scan: { ...basePlan.scan, centreUm: { xUm: c.xUm, yUm: c.yUm } },
      roi: { ...basePlan.roi, stopFraction: 0, maxFrames: 1000 },
    };
    expect((await h.call('automation.start', { plan, name: 'stopped' }, CTX)).ok).toBe(true);
    await until(
      'an ROI being imaged',
      () => (h.store.state.automation?.rois.find((r) => r.state === 'imaging')?.frames ?? 0) > 2,
      20_000,
    );
    expect(await h.call('estop', {}, CTX)).toMatchObject({ ok: true });
    await h.automation.whenIdle();
    const v = h.store.state.automation!;
    expect(v.phase).toBe('failed');
    expect(v.failure?.message).toMatch(/e-stop|Emergency stop/i);
    for (const l of h.devices.lasers.values()) expect(await l.getEmission()).toBe(false);
    const report = JSON.parse(readFileSync(path.join(v.dir, 'report.json'), 'utf8'));
    expect(report.phase).toBe('failed');
    expect(report.counts.interrupted).toBe(1);
  });
});
