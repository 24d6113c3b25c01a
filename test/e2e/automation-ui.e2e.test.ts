/**
 * End-to-end: the Automate tab in Debian's Chromium against `aquila serve` on a small
 * simulated microscope with a focus sensor and sparse cells (256² frames). Needs the built
 * UI (`npm run build:renderer`). Screenshots go to test-results/e2e/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimWorld } from '../../drivers/sim/world';
import { parseConfig } from '../../electron/config/load';
import { UserStore } from '../../electron/remote/users';
import { launchChromium } from '../support/browser';
import { smallSimConfig } from '../support/host-fixture';
import { repoRoot, startServe, type ServeProcess, serveState } from '../support/serve-process';
import { tempDir } from '../support/temp-dir';

const artefacts = path.join(repoRoot, 'test-results/e2e');
mkdirSync(artefacts, { recursive: true });

const base = smallSimConfig({
  sim: {
    seed: 11,
    cellCount: 60,
    slideHalfWidthUm: 400,
    sample: 'sparse-cells',
    coverslip: { tiltXUmPerMm: 0, tiltYUmPerMm: 0, curvatureUmPerMm2: 0, offsetUm: 0 },
    drift: { zUmPerMin: 0, zStepProbPerMin: 0, zStepUm: 0, xyUmPerMin: 0 },
  },
});
const config = {
  ...base,
  devices: [...base.devices, { id: 'pfs', kind: 'focus-sensor', driver: 'sim', options: {} }],
};
const truth = new SimWorld(parseConfig(JSON.stringify(config), 'truth').sim).truth;

/** A cell with at least two neighbours within 60 µm (as in the host's automation tests). */
function colony() {
  const all = truth.cellsIn({ xUm: -400, yUm: -400, widthUm: 800, heightUm: 800 });
  const c = all.find(
    (a) => all.filter((b) => Math.hypot(a.xUm - b.xUm, a.yUm - b.yUm) < 60).length >= 3,
  );
  if (!c) throw new Error('no colony in the simulated sample');
  return c;
}

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let datasets: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  const dir = tempDir('aquila-autoui-');
  datasets = path.join(dir, 'data');
  mkdirSync(datasets);
  const configPath = path.join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(config));
  serve = await startServe(['--config', configPath, '--datasets', datasets]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(serve.loginUrl);
  await page.waitForSelector('[data-testid="connection-state"][data-state="connected"]', {
    timeout: 10_000,
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  const code = await serve?.stop();
  expect(code).toBe(0);
});

const hostState = () => serveState(serve);

async function moveTo(xUm: number, yUm: number, zUm: number) {
  await page.getByTestId('tab-control').click();
  await page.getByTestId('goto-x').fill(xUm.toFixed(2));
  await page.getByTestId('goto-y').fill(yUm.toFixed(2));
  await page.getByTestId('goto-xy').click();
  await page.getByTestId('goto-z').fill(zUm.toFixed(2));
  await page.getByTestId('goto-z-go').click();
  await expect
    .poll(async () => {
      const s = await hostState();
      return Math.hypot(s.stage.xUm - xUm, s.stage.yUm - yUm) + Math.abs(s.focus.zUm - zUm);
    })
    .toBeLessThan(0.05);
}

describe('Automate tab in Chromium', { timeout: 60_000 }, () => {
  it('autofocus from 6 µm off: the focus curve and the chosen Z near the true focus', async () => {
    const c = colony();
    const focusZ = truth.focusZUm(c.xUm, c.yUm);
    await moveTo(c.xUm, c.yUm, focusZ + 6);
    await page.getByTestId('channel-GFP').click();
    await page.getByTestId('tab-automate').click();
    await page.getByTestId('autofocus-range').fill('15');
    await page.getByTestId('autofocus-range').press('Enter');
    await page.getByTestId('autofocus-run').click();
    await page.getByTestId('focus-curve').waitFor({ timeout: 20_000 });
    const points = Number(await page.getByTestId('focus-curve').getAttribute('data-points'));
    expect(points).toBeGreaterThanOrEqual(5);
    await page.getByTestId('focus-curve-chosen').waitFor({ state: 'attached' });
    const s = await hostState();
    expect(Math.abs(s.focus.zUm - focusZ)).toBeLessThan(2);
    expect(await page.getByTestId('autofocus-result').textContent()).toContain(
      `Z ${s.focus.zUm.toFixed(2)} µm`,
    );
    await page
      .getByTestId('autofocus-panel')
      .screenshot({ path: path.join(artefacts, 'autofocus.png') });
  });

  it('finds ROIs: boxes on the live image that follow zoom, a list, Go to moves the stage', async () => {
    await page.getByTestId('roi-find').click();
    await page.getByTestId('roi-list').waitFor({ timeout: 15_000 });
    const rows = await page.locator('[data-testid^="roi-row-"]').count();
    expect(rows).toBeGreaterThan(0);
    expect(await page.locator('[data-testid^="roi-box-"]').count()).toBe(rows);
    // Fitted 256² image in the canvas: the overlay is a square as tall as the canvas.
    const canvas = (await page.getByTestId('live-view').boundingBox())!;
    const before = (await page.getByTestId('roi-overlay').boundingBox())!;
    expect(before.height).toBeCloseTo(Math.min(canvas.width, canvas.height), 0);
    expect(before.x + before.width / 2).toBeCloseTo(canvas.x + canvas.width / 2, 0);
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    await page.mouse.wheel(0, -100); // one notch in: ×1.2 about the cursor
    await expect
      .poll(async () => (await page.getByTestId('roi-overlay').boundingBox())!.width)
      .toBeCloseTo(before.width * 1.2, 0);
    await page.getByTestId('fit-view').click();
    await page.getByTestId('roi-reject-0').click();
    // Verdicts are host state (rois.setVerdict): the row follows the host's patch.
    await expect
      .poll(() => page.getByTestId('roi-row-0').getAttribute('data-verdict'))
      .toBe('rejected');
    expect((await hostState()).roiFinder.verdicts[0]).toBe('rejected');
    await expect
      .poll(() => page.getByTestId('roi-box-0').getAttribute('class'))
      .toBe('roi-box rejected');
    await page.screenshot({ path: path.join(artefacts, 'rois.png') });
    const x = Number(await page.getByTestId('roi-x-0').textContent());
    const y = Number(await page.getByTestId('roi-y-0').textContent());
    await page.getByTestId('roi-goto-0').click();
    await expect
      .poll(async () => {
        const s = await hostState();
        return Math.hypot(s.stage.xUm - x, s.stage.yUm - y);
      })
      .toBeLessThan(0.1);
    // The boxes belonged to the old field: hidden, with a note; the list stays.
    await page.getByTestId('roi-stale').waitFor();
    expect(await page.getByTestId('roi-overlay').count()).toBe(0);
    expect(await page.locator('[data-testid^="roi-row-"]').count()).toBe(rows);

    // Accepted ROIs become positions of the Acquire tab's plan.
    await page.getByTestId('roi-accept-0').click();
    await expect
      .poll(() => page.getByTestId('roi-row-0').getAttribute('data-verdict'))
      .toBe('accepted');
    await page.getByTestId('roi-to-plan').click();
    expect(await page.getByTestId('roi-sent-to-plan').textContent()).toMatch(/^1 position added/);
    await page.getByTestId('tab-acquire').click();
    const positions = page.getByTestId('acq-positions').locator('li');
    await expect.poll(() => positions.count()).toBe(1);
    expect(await positions.first().textContent()).toContain('roi1');
    await page.getByTestId('tab-automate').click();
  });

  it('focus lock: calibrate, lock (state and live error readout), unlock', async () => {
    await page.getByTestId('focus-lock-calibrate').click();
    await page.getByTestId('focus-lock-calibration').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('focus-lock-calibration').textContent()).toMatch(/px\/µm/);
    await page.getByTestId('focus-lock-toggle').click();
    await expect
      .poll(() => page.getByTestId('focus-lock-state').getAttribute('data-state'), {
        timeout: 10_000,
      })
      .toBe('locked');
    // The state's errorUm comes ≤ 4 times a second; the trace polls the host's full-rate samples.
    await expect
      .poll(() => page.getByTestId('focus-lock-error').textContent(), { timeout: 5_000 })
      .toMatch(/^-?\d+ nm$/);
    await expect
      .poll(
        async () => Number(await page.getByTestId('focus-lock-trace').getAttribute('data-samples')),
        {
          timeout: 5_000,
        },
      )
      .toBeGreaterThanOrEqual(40);
    expect(await page.getByTestId('focus-lock-rms').textContent()).toMatch(/^\d+ nm$/);
    await page.getByTestId('focus-lock-panel').screenshot({
      path: path.join(artefacts, 'focus-lock.png'),
    });
    await page.getByTestId('focus-lock-toggle').click();
    await expect
      .poll(async () => (await hostState()).focusLock.state, { timeout: 5_000 })
      .toBe('off');
  });

  it('runs a small FLImP plan loaded from a file to the end, with progress and report', async () => {
    const c = colony();
    const plan = {
      kind: 'flimp',
      name: 'ui-e2e',
      scan: { centreUm: { xUm: c.xUm, yUm: c.yUm }, columns: 2, rows: 1, overlap: 0.1 },
      tileIllumination: { laserId: 'laser488', powerMw: 20, exposureMs: 10 },
      tileFocus: { mode: 'none' },
      rois: { backgroundRadiusPx: 0, minAreaPx: 300, hysteresis: 0.5, split: true },
      maxRois: 2,
      roi: {
        centre: true,
        focus: { mode: 'none' },
        programme: [{ laserId: 'laser488', powerMw: 50, exposureMs: 10 }],
        intervalMs: 0,
        stopFraction: 0.1,
        minFrames: 2,
        maxFrames: 3,
      },
    };
    await page.getByTestId('flimp-plan-load').setInputFiles({
      name: 'ui-e2e.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(plan)),
    });
    await expect
      .poll(() => page.getByTestId('flimp-plan-source').textContent())
      .toBe('ui-e2e.json');
    expect(await page.getByTestId('flimp-maxRois').inputValue()).toBe('2');
    await page.getByTestId('automation-start').click();
    await expect
      .poll(() => page.getByTestId('automation-phase').getAttribute('data-phase'), {
        timeout: 40_000,
      })
      .toBe('finished');
    // The phase is published before the last ROI settles and the report is written: the
    // report is the run's last news, so the counts below are final once it shows.
    const report = page.getByTestId('automation-report');
    await expect.poll(() => report.textContent(), { timeout: 15_000 }).toMatch(/report\.html$/);
    expect(await page.getByTestId('automation-imaged').textContent()).toBe('2');
    // One or both tiles scanned (scanning stops once the ROI budget is covered).
    expect(await page.getByTestId('automation-tiles').getAttribute('aria-valuenow')).toMatch(
      /^[12]$/,
    );
    expect(
      await page.locator('[data-testid^="automation-roi-"][data-state="imaged"]').count(),
    ).toBe(2);
    const reportPath = await report.textContent();
    expect(reportPath!.startsWith(datasets)).toBe(true);
    expect((await hostState()).automation.report).toBe(reportPath);
    await page
      .getByTestId('automation-panel')
      .screenshot({ path: path.join(artefacts, 'automation.png') });
    // Mosaic: both tiles of the plan, every ROI; clicking an ROI moves the stage to it.
    expect(await page.locator('[data-testid^="mosaic-tile-"]').count()).toBe(2);
    const view = (await hostState()).automation;
    expect(await page.locator('[data-testid^="mosaic-roi-"]').count()).toBe(view.rois.length);
    const target = view.rois.find((r: { state: string }) => r.state === 'imaged');
    await page.getByTestId(`mosaic-roi-${target.id}`).click();
    await expect
      .poll(async () => {
        const s = await hostState();
        return Math.hypot(s.stage.xUm - target.xUm, s.stage.yUm - target.yUm);
      })
      .toBeLessThan(0.1);
    await page.getByTestId('automation-panel').screenshot({
      path: path.join(artefacts, 'automation-mosaic.png'),
    });
    expect(pageErrors).toEqual([]);
  });

  it('edited fields: a long run is paused, resumed and cancelled from the panel', async () => {
    // The loaded plan stays the base; edit it into a long run (never bleaches below 0).
    await page.getByTestId('flimp-name').fill('ui-e2e-long');
    await page.getByTestId('flimp-roi-stopFraction').fill('0');
    await page.getByTestId('flimp-roi-stopFraction').press('Enter');
    await page.getByTestId('flimp-roi-maxFrames').fill('5000');
    await page.getByTestId('flimp-roi-maxFrames').press('Enter');
    await expect
      .poll(() => page.getByTestId('flimp-plan-source').textContent())
      .toBe('ui-e2e.json (edited)');
    expect(await page.getByTestId('flimp-roi-maxFrames').inputValue()).toBe('5000');
    await page.getByTestId('automation-start').click();
    const phase = () => page.getByTestId('automation-phase').getAttribute('data-phase');
    await expect.poll(phase, { timeout: 15_000 }).toBe('imaging');
    expect((await hostState()).automation.name).toMatch(/^ui-e2e-long/);
    await page.getByTestId('automation-pause').click();
    await expect.poll(phase, { timeout: 10_000 }).toBe('paused');
    await page.getByTestId('automation-resume').click();
    await expect.poll(phase, { timeout: 10_000 }).toBe('imaging');
    await page.getByTestId('automation-cancel').click();
    await expect.poll(phase, { timeout: 15_000 }).toBe('cancelled');
    await page.getByTestId('automation-report').waitFor({ timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  });
  it('a reload keeps the ROI verdicts; an observer sees runs, ROIs and verdicts, its controls disabled, its commands refused', async () => {
    const before = await hostState();
    expect(before.roiFinder.verdicts[0]).toBe('accepted');
    const rows = before.roiFinder.rois.length;
    const verdictsOf = async (p: Page) => {
      const out: (string | null)[] = [];
      for (let i = 0; i < rows; i++)
        out.push(await p.getByTestId(`roi-row-${i}`).getAttribute('data-verdict'));
      return out;
    };
    await page.reload();
    await page.waitForSelector('[data-testid="connection-state"][data-state="connected"]');
    await page.getByTestId('tab-automate').click();
    await page.getByTestId('roi-list').waitFor({ timeout: 10_000 });
    expect(await verdictsOf(page)).toEqual(before.roiFinder.verdicts);

    const bobToken = new UserStore(serve.home).add('bob', 'observer');
    const bob = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    bob.on('pageerror', (e) => pageErrors.push(`observer: ${e.message}`));
    await bob.goto(`${serve.baseUrl}?token=${bobToken}`);
    await bob.waitForSelector('[data-testid="connection-state"][data-state="connected"]', {
      timeout: 10_000,
    });
    await bob.getByTestId('tab-automate').click();
    // Sees what the operator sees: the ROIs with their verdicts, the last run and its ROIs.
    await bob.getByTestId('roi-list').waitFor({ timeout: 10_000 });
    expect(await verdictsOf(bob)).toEqual(before.roiFinder.verdicts);
    expect(await bob.getByTestId('automation-phase').getAttribute('data-phase')).toBe(
      before.automation.phase,
    );
    expect(await bob.locator('[data-testid^="automation-roi-"][data-state]').count()).toBe(
      before.automation.rois.length,
    );
    expect(await bob.getByTestId('automation-imaged').textContent()).toBe(
      String(before.automation.imaged),
    );
    // …but cannot act on them.
    expect(await bob.getByTestId('control-gate').getAttribute('disabled')).not.toBeNull();
    for (const id of [
      'autofocus-run',
      'focus-lock-calibrate',
      'roi-find',
      'roi-accept-0',
      'roi-reject-0',
      'roi-clear',
      'automation-start',
    ])
      expect(await bob.getByTestId(id).isDisabled(), id).toBe(true);
    // A mutating command sent from the observer's session anyway is refused by the host.
    const refused = await bob.evaluate(async (frameSeq) => {
      const res = await fetch('/api/commands/rois.setVerdict', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ frameSeq, index: 0, verdict: 'rejected' }),
      });
      return { status: res.status, body: await res.json() };
    }, before.roiFinder.frameSeq);
    // E_NOT_CONTROLLER (409) while the operator holds control, E_FORBIDDEN (403) otherwise.
    expect([403, 409]).toContain(refused.status);
    expect(refused.body.error.message).toMatch(/rois\.setVerdict refused: bob is an observer/);
    expect((await hostState()).roiFinder.verdicts).toEqual(before.roiFinder.verdicts);
    // A verdict the operator changes reaches the observer.
    await page.getByTestId('roi-reject-0').click();
    await expect
      .poll(() => bob.getByTestId('roi-row-0').getAttribute('data-verdict'))
      .toBe('rejected');
    await bob.getByTestId('automation-panel').screenshot({
      path: path.join(artefacts, 'automation-observer.png'),
    });
    await bob.close();
    expect(pageErrors).toEqual([]);
  });
});
