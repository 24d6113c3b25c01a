/**
 * Issue #14 end to end: `aquila serve` with a gige-vision camera (Aravis's fake) and Debian's
 * Chromium. The operator opens the camera's device panel, filters the feature browser, writes
 * a feature (read back through the API) and sees a bad value's error at the field; an
 * observer sees the same list read-only.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserStore } from '../../electron/remote/users';
import {
  ARAVIS_FAKE_START_TIMEOUT_MS,
  aravisFakeAvailable,
  startAravisFake,
  type AravisFake,
} from '../support/aravis-fake';
import { launchChromium } from '../support/browser';
import { repoRoot, startServe, type ServeProcess } from '../support/serve-process';

let tmp: string;
let fake: AravisFake;
let serve: ServeProcess;
let browser: Browser;

describe.skipIf(!aravisFakeAvailable())('camera device panel', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    fake = await startAravisFake({ sensorPx: { width: 256, height: 192 } });
    tmp = mkdtempSync(path.join(os.tmpdir(), 'aquila-camera-e2e-'));
    const base = JSON.parse(
      readFileSync(path.join(repoRoot, 'test/fixtures/configs/e2e.json'), 'utf8'),
    ) as { devices: { kind: string }[] } & Record<string, unknown>;
    const configPath = path.join(tmp, 'config.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        ...base,
        devices: [
          ...base.devices.filter((d) => d.kind !== 'camera'),
          {
            id: 'camera',
            kind: 'camera',
            driver: 'gige-vision',
            options: { address: fake.address, timeoutMs: 300, retries: 2 },
          },
        ],
        storage: { datasetsRoot: path.join(tmp, 'datasets') },
      }),
    );
    serve = await startServe(['--config', configPath]);
    browser = await launchChromium();
  }, ARAVIS_FAKE_START_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    const code = await serve?.stop();
    await fake?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    expect(code).toBe(0);
  });

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    await page.goto(url);
    await page.waitForSelector('[data-testid="connection-state"][data-state="connected"]', {
      timeout: 10_000,
    });
    await expect
      .poll(() => page.getByTestId('camera-identity').textContent(), { timeout: 10_000 })
      .toMatch(/Aravis Fake.*serial GV01/);
    await page.getByTestId('camera-features-toggle').click();
    await page.getByTestId('feature-browser').waitFor({ timeout: 10_000 });
    return page;
  }

  it('the operator filters, writes a feature and sees a bad value at its field', async () => {
    const page = await open(serve.loginUrl);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    expect(await page.getByTestId('feature-DeviceModelName-value').textContent()).toBe('Fake');
    await page.getByTestId('feature-filter').fill('testreg');
    await expect.poll(() => page.locator('tr[data-testid^="feature-"]').count()).toBe(1);
    const reg = page.getByTestId('feature-TestRegister-input');
    await reg.fill('5');
    await reg.press('Enter');
    // Enter sends the write; it may not have reached the camera when Enter returns.
    const onCamera = async () => {
      const res = await fetch(`${serve.baseUrl}api/commands/camera.getFeature`, {
        method: 'POST',
        headers: { authorization: `Bearer ${serve.token}` },
        body: JSON.stringify({ name: 'TestRegister' }),
      });
      return ((await res.json()) as { value: { value: number } }).value.value;
    };
    await expect.poll(onCamera).toBe(5);
    await reg.fill('five');
    await reg.press('Enter');
    await expect
      .poll(() => page.getByTestId('feature-TestRegister-error').textContent())
      .toBe('TestRegister takes a number');
    // read-only and Camera-interface features get no editor
    await page.getByTestId('feature-filter').fill('');
    expect(await page.getByTestId('feature-DeviceModelName-input').count()).toBe(0);
    expect(await page.getByTestId('feature-Width-value').textContent()).toMatch(
      /set by camera\.setRoi/,
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an observer sees the features read-only', async () => {
    const token = new UserStore(serve.home).add('bob', 'observer');
    const page = await open(`${serve.baseUrl}?token=${token}`);
    await expect.poll(() => page.getByTestId('feature-TestRegister-value').textContent()).toBe('5');
    expect(await page.locator('[data-testid$="-input"][data-testid^="feature-"]').count()).toBe(0);
    await page.getByTestId('feature-filter').fill('Device');
    expect(await page.getByTestId('feature-TestRegister').count()).toBe(0);
    expect(await page.getByTestId('feature-DeviceID').count()).toBe(1);
    await page.close();
  });
});
