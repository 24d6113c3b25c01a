/**
 * Automation on a simulated microscope whose camera is turned a quarter turn and mirrored
 * (config stageOrientation, which the simulated camera's mount follows): rois.find places
 * the cells where they are on the stage (so "Go to" reaches them), and a FLImP run finds its
 * ROIs on true cells and images them centred (their signal bleaches). With the identity-only
 * conversion the found positions are mirrored about the field's centre and the run images
 * empty places.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../../electron/automation/flimp/journal';
import { basePlan, colony, CTX, startAutomationHost } from '../../support/automation-rig';

const stageOrientation = { flipX: true, flipY: false, rotate90: true };

describe('automation with a turned, mirrored camera', () => {
  it('rois.find returns the cells of the field at their stage positions', async () => {
    const { h, truth } = await startAutomationHost({ stageOrientation });
    const { c, all } = colony(truth);
    // Off-centre, so a mirrored or turned conversion lands elsewhere.
    await h.call('stage.moveTo', { xUm: c.xUm + 6, yUm: c.yUm - 4 }, CTX);
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
    for (const roi of rois)
      expect(all.some((t) => Math.hypot(t.xUm - roi.xUm, t.yUm - roi.yUm) < t.radiusUm)).toBe(true);
    expect(rois.some((roi) => Math.hypot(roi.xUm - c.xUm, roi.yUm - c.yUm) < c.radiusUm)).toBe(
      true,
    );
  });

  it('a FLImP run finds ROIs on true cells and images them centred', async () => {
    const { root, h, truth } = await startAutomationHost({ stageOrientation });
    const { c, all } = colony(truth);
    const plan = { ...basePlan, scan: { ...basePlan.scan, centreUm: { xUm: c.xUm, yUm: c.yUm } } };
    expect((await h.call('automation.start', { plan, name: 'turned' }, CTX)).ok).toBe(true);
    await h.automation.whenIdle();
    const v = h.store.state.automation!;
    expect(v.failure).toBeNull();
    expect(v.imaged).toBe(3);
    const journal = await readJournal(path.join(root, 'turned'));
    const found = journal.flatMap((r) => (r.t === 'tile' ? r.rois : []));
    expect(found.length).toBeGreaterThanOrEqual(3);
    for (const roi of found)
      expect(all.some((t) => Math.hypot(t.xUm - roi.xUm, t.yUm - roi.yUm) < t.radiusUm)).toBe(true);
    const report = JSON.parse(readFileSync(path.join(root, 'turned', 'report.json'), 'utf8'));
    for (const r of report.rois.filter((x: { state: string }) => x.state === 'imaged'))
      expect(r.finalFraction).toBeLessThan(0.85);
  }, 60_000);
});
