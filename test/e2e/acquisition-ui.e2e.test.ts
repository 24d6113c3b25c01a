/**
 * End-to-end: build a plan in the acquisition panel (one channel, 3-plane z stack, 2 time
 * points), see its estimate, save it, run it, find the dataset in the list, archive it to a
 * filesystem target and see the upload reach done — `aquila serve` + Debian's Chromium.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { repoRoot, startServe, type ServeProcess, serveState } from '../support/serve-process';

const artefacts = path.join(repoRoot, 'test-results/e2e');
mkdirSync(artefacts, { recursive: true });

let tmp: string;
let archiveDir: string;
let serve: ServeProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'aquila-acq-e2e-'));
  archiveDir = path.join(tmp, 'archive');
  mkdirSync(archiveDir);
  const base = JSON.parse(
    readFileSync(path.join(repoRoot, 'test/fixtures/configs/e2e.json'), 'utf8'),
  ) as Record<string, unknown>;
  const config = {
    ...base,
    // OME-TIFF: the viewer reads it as it reads OME-Zarr (storage/plane-reader.ts).
    storage: { datasetsRoot: path.join(tmp, 'datasets'), format: 'ome-tiff' },
    upload: {
      targets: [{ name: 'archive', kind: 'filesystem', path: archiveDir }],
      journalDir: path.join(tmp, 'journal'),
      // Any real disk is "nearly full" below 1 PiB: the banner must show.
      diskNearlyFull: { minFreeGiB: 1024 * 1024, minFreeFraction: 0 },
    },
  };
  const configPath = path.join(tmp, 'config.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  serve = await startServe(['--config', configPath]);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  const code = await serve?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  expect(code).toBe(0);
});

const hostState = () => serveState(serve);

const text = (id: string) => page.getByTestId(id).textContent();
const attr = (id: string, name: string) => page.getByTestId(id).getAttribute(name);

describe('acquisition UI in Chromium against aquila serve', { timeout: 90_000 }, () => {
  it('builds a plan, estimates, saves, runs it, archives the dataset', async () => {
    page = await browser.newPage({
      viewport: { width: 1400, height: 1000 },
      acceptDownloads: true,
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(serve.loginUrl);
    await expect
      .poll(() => attr('connection-state', 'data-state'), { timeout: 10_000 })
      .toBe('connected');
    await expect.poll(() => text('disk-warning'), { timeout: 10_000 }).toMatch(/nearly full/);

    await page.getByTestId('tab-acquire').click();
    await page.getByTestId('acq-channel-GFP').check();
    await page.getByTestId('acq-z-mode').selectOption('range');
    await page.getByTestId('acq-z-range').fill('2');
    await page.getByTestId('acq-z-step').fill('1');
    await page.getByTestId('acq-t-enabled').check();
    await page.getByTestId('acq-t-loops').fill('2');
    await page.getByTestId('acq-t-interval').fill('0');
    await page.getByTestId('acq-name').fill('e2e-run');
    // A captured position shows the stage's x/y/z; removing it restores "current position".
    const st = await hostState();
    await page.getByTestId('acq-add-position').click();
    expect(await text('acq-position-0')).toContain(
      `pos1: ${st.stage.xUm.toFixed(1)}, ${st.stage.yUm.toFixed(1)}, ${st.focus.zUm.toFixed(1)} µm`,
    );
    await page.getByTestId('acq-position-0-remove').click();
    expect(await page.getByTestId('acq-position-0').count()).toBe(0);
    await expect.poll(() => text('acq-estimate-frames'), { timeout: 10_000 }).toBe('6');
    // 6 frames of 512 × 512 uint16.
    expect(await text('acq-estimate-bytes')).toBe('3.00 MiB');

    // An invalid field shows its error and clears the estimate; fixing it brings it back.
    await page.getByTestId('acq-z-step').fill('0');
    await expect.poll(() => text('acq-plan-errors')).toContain('z step: must be more than 0');
    expect(await page.getByTestId('acq-start').isDisabled()).toBe(true);
    await page.getByTestId('acq-z-step').fill('1');
    await expect.poll(() => text('acq-estimate-frames'), { timeout: 10_000 }).toBe('6');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('acq-plan-save').click(),
    ]);
    expect(download.suggestedFilename()).toBe('e2e-run.json');
    const saved = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(saved).toEqual({
      axis_order: 'tpgcz',
      channels: [{ config: 'GFP' }],
      z_plan: { range: 2, step: 1 },
      time_plan: { interval: 0, loops: 2 },
    });

    // A richer useq plan loads as is; the plan check reports its unknown preset (issue #18).
    await page
      .getByTestId('acq-plan-load')
      .setInputFiles(path.join(repoRoot, 'test/fixtures/plans/timelapse-zstack.json'));
    await expect.poll(() => text('acq-plan-raw'), { timeout: 5_000 }).toContain('stage_positions');
    await expect.poll(() => text('acq-problems-plan'), { timeout: 10_000 }).toMatch(/DAPI/);
    expect(await page.getByTestId('acq-start').isDisabled()).toBe(true);
    // Issue #18 §3: the loaded plan replaces the form (which showed another plan) with a
    // summary of what runs, its unknown channel flagged there too.
    expect(await page.getByTestId('acq-channel-GFP').count()).toBe(0);
    expect(await text('acq-plan-summary-channels')).toContain('DAPI 20 ms, GFP');
    expect(await text('acq-plan-summary-flag')).toMatch(/Unknown channel "DAPI"/);
    expect(await text('acq-plan-summary-positions')).toContain('well A1: 100, -50, 2 µm');
    await page.getByTestId('acq-plan-raw-discard').click();
    // The plan saved above loads back into the form.
    await page.getByTestId('acq-plan-load').setInputFiles((await download.path())!);
    await expect.poll(() => text('acq-estimate-frames'), { timeout: 10_000 }).toBe('6');
    expect(await page.getByTestId('acq-plan-raw').count()).toBe(0);

    await page.getByTestId('acq-start').click();
    await expect.poll(() => attr('run-state', 'data-state'), { timeout: 30_000 }).toBe('finished');
    expect(await attr('run-progress', 'aria-valuenow')).toBe('6');
    expect(await text('run-frames')).toBe('6');
    expect(await text('run-dropped')).toBe('0');
    await page.screenshot({ path: path.join(artefacts, 'acquisition-run.png') });

    await page.getByTestId('tab-data').click();
    await expect.poll(() => text('dataset-e2e-run-outcome'), { timeout: 10_000 }).toBe('complete');
    await expect.poll(() => text('dataset-e2e-run-closed'), { timeout: 10_000 }).toBe('closed');
    expect(await text('dataset-e2e-run-frames')).toBe('6 frames');
    // Issue #18 §8: the saved images (OME-TIFF here) open in the viewer, through the GFP LUT,
    // with sliders.
    await page.getByTestId('view-e2e-run').click();
    await expect.poll(() => text('viewer-channel'), { timeout: 10_000 }).toBe('GFP');
    expect(await page.getByTestId('viewer-z').getAttribute('max')).toBe('2');
    expect(await page.getByTestId('viewer-t').getAttribute('max')).toBe('1');
    const drawn = () =>
      page.evaluate(() => {
        const c = document.querySelector<HTMLCanvasElement>('[data-testid="viewer-canvas"]')!;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let sum = 0;
        for (let i = 0; i < d.length; i += 4) sum += d[i + 1]!;
        return { w: c.width, mean: sum / (d.length / 4) };
      });
    await expect.poll(async () => (await drawn()).w, { timeout: 10_000 }).toBe(512);
    expect((await drawn()).mean).toBeGreaterThan(5);
    await page.getByTestId('viewer-z').fill('2');
    await page.getByTestId('viewer-close').click();
    await page.getByTestId('archive-e2e-run-archive').click();

    await expect.poll(async () => (await hostState()).uploads.length, { timeout: 5_000 }).toBe(1);
    const id = (await hostState()).uploads[0].id as string;
    await expect
      .poll(() => attr(`upload-${id}-state`, 'data-state'), { timeout: 30_000 })
      .toBe('done');
    expect(await page.getByTestId(`upload-${id}-retry`).count()).toBe(0);
    expect(await page.getByTestId(`upload-${id}`).textContent()).toContain('e2e-run');
    expect(await page.getByTestId('archive-e2e-run-archive').isDisabled()).toBe(true);
    expect(existsSync(path.join(archiveDir, 'e2e-run'))).toBe(true);
    await page.screenshot({ path: path.join(artefacts, 'acquisition.png') });

    // Run controls: a slow time-lapse is paused, resumed and cancelled from the UI.
    await page.getByTestId('tab-acquire').click();
    await page.getByTestId('acq-t-loops').fill('20');
    await page.getByTestId('acq-t-interval').fill('1');
    await page.getByTestId('acq-name').fill('e2e-cancel');
    await expect.poll(() => text('acq-estimate-frames'), { timeout: 10_000 }).toBe('60');
    await page.getByTestId('acq-start').click();
    await expect.poll(() => attr('run-state', 'data-state'), { timeout: 10_000 }).toBe('running');
    await page.getByTestId('acq-pause').click();
    await expect.poll(() => attr('run-state', 'data-state'), { timeout: 10_000 }).toBe('paused');
    expect(await page.getByTestId('acq-resume').isEnabled()).toBe(true);
    await page.getByTestId('acq-resume').click();
    await expect.poll(() => attr('run-state', 'data-state'), { timeout: 10_000 }).toBe('running');
    // Cancel asks once (issue #18): "No" keeps the run going, "Yes" cancels it.
    await page.getByTestId('acq-cancel').click();
    await page.getByTestId('acq-cancel-no').click();
    expect(await attr('run-state', 'data-state')).toBe('running');
    await page.getByTestId('acq-cancel').click();
    await page.getByTestId('acq-cancel-confirm').click();
    await expect.poll(() => attr('run-state', 'data-state'), { timeout: 10_000 }).toBe('cancelled');
    // The name is now taken by the cancelled dataset: caught in the form (issue #18 §8).
    await expect.poll(() => text('acq-name-error'), { timeout: 10_000 }).toMatch(/already taken/);
    expect(await page.getByTestId('acq-start').isEnabled()).toBe(false);
    await page.getByTestId('acq-name').fill('e2e-next');
    await expect.poll(() => page.getByTestId('acq-start').isEnabled()).toBe(true);
    await page.getByTestId('tab-data').click();
    await expect
      .poll(() => text('dataset-e2e-cancel-outcome'), { timeout: 10_000 })
      .toBe('cancelled');
    expect(errors).toEqual([]);
  });
});
