/**
 * Issue #18 §4 end to end: reloading the page mid-run, or opening a second page, shows the
 * same picture — the running plan in the form, the recent events, the tab and the jog step
 * — kept by the host (`aquila serve` + Debian's Chromium).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { repoRoot, startServe, type ServeProcess } from '../support/serve-process';

let tmp: string;
let serve: ServeProcess;
let browser: Browser;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'aquila-reload-e2e-'));
  const base = JSON.parse(
    readFileSync(path.join(repoRoot, 'test/fixtures/configs/e2e.json'), 'utf8'),
  ) as Record<string, unknown>;
  const configPath = path.join(tmp, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({ ...base, storage: { datasetsRoot: path.join(tmp, 'datasets') } }),
  );
  serve = await startServe(['--config', configPath]);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  const code = await serve?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  expect(code).toBe(0);
});

async function open(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(serve.loginUrl);
  await expect
    .poll(() => page.getByTestId('connection-state').getAttribute('data-state'), {
      timeout: 10_000,
    })
    .toBe('connected');
  return page;
}

/** What the operator sees of the run, the plan form, the events, the tab and the jog step. */
async function picture(page: Page) {
  await expect
    .poll(() => page.getByTestId('acq-t-loops').inputValue(), { timeout: 10_000 })
    .toBe('30');
  return {
    tab: await page.locator('[role="tab"][aria-selected="true"]').getAttribute('data-testid'),
    jogStep: await page.getByTestId('jog-step').inputValue(),
    gfp: await page.getByTestId('acq-channel-GFP').isChecked(),
    loops: await page.getByTestId('acq-t-loops').inputValue(),
    interval: await page.getByTestId('acq-t-interval').inputValue(),
    name: await page.getByTestId('acq-name').inputValue(),
    formLocked: await page.getByTestId('acq-t-loops').isDisabled(),
    started: await page.getByTestId('event').filter({ hasText: 'Run reload-e2e started' }).count(),
    runState: await page.getByTestId('run-state').getAttribute('data-state'),
  };
}

describe('reload mid-run', { timeout: 90_000 }, () => {
  it('a reload and a second page show the same plan, events, tab and jog step', async () => {
    const page = await open();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The first mutating command takes the lease; from then on the view is kept by the host.
    await page.getByTestId('channel-GFP').click();
    await page.getByTestId('jog-step').selectOption('10');
    await page.getByTestId('tab-acquire').click();
    await page.getByTestId('acq-channel-GFP').check();
    await page.getByTestId('acq-t-enabled').check();
    await page.getByTestId('acq-t-loops').fill('30');
    await page.getByTestId('acq-t-interval').fill('1');
    await page.getByTestId('acq-name').fill('reload-e2e');
    await expect
      .poll(() => page.getByTestId('acq-estimate-frames').textContent(), { timeout: 10_000 })
      .toBe('30');
    await page.getByTestId('acq-start').click();
    await expect
      .poll(() => page.getByTestId('run-state').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('running');

    const expected = {
      tab: 'tab-acquire',
      jogStep: '10',
      gfp: true,
      loops: '30',
      interval: '1',
      name: 'reload-e2e',
      formLocked: true,
      started: 1,
      runState: 'running',
    };
    await expect.poll(() => picture(page), { timeout: 10_000 }).toEqual(expected);

    await page.reload();
    await expect
      .poll(() => page.getByTestId('connection-state').getAttribute('data-state'), {
        timeout: 10_000,
      })
      .toBe('connected');
    expect(await picture(page)).toEqual(expected);

    const second = await open();
    expect(await picture(second)).toEqual(expected);
    // A page that does not hold control keeps its tab to itself.
    await second.getByTestId('tab-data').click();
    await page.getByTestId('tab-acquire').click();
    await page.getByTestId('acq-cancel').click();
    await page.getByTestId('acq-cancel-confirm').click();
    await expect
      .poll(() => page.getByTestId('run-state').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('cancelled');
    const third = await open();
    // "connected" shows when the socket opens; the kept tab comes with the hello after it.
    await expect
      .poll(() => third.locator('[role="tab"][aria-selected="true"]').getAttribute('data-testid'))
      .toBe('tab-acquire');
    expect(errors).toEqual([]);
  });
});
