/**
 * One `aquila serve` host and one Chromium page logged in to it, for a browser test file:
 * the config written to a temporary folder, datasets in its `data/`, page errors collected.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium } from './browser';
import { serveState, startServe, type ServeProcess } from './serve-process';
import { tempDir } from './temp-dir';

export interface UiSession {
  serve: ServeProcess;
  browser: Browser;
  page: Page;
  /** The host's datasets folder. */
  datasets: string;
  pageErrors: string[];
}

export async function openUiSession(
  config: unknown,
  page: { viewport: { width: number; height: number }; acceptDownloads?: boolean },
): Promise<UiSession> {
  const dir = tempDir('aquila-ui-');
  const configPath = path.join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(config));
  const datasets = path.join(dir, 'data');
  mkdirSync(datasets);
  const serve = await startServe(['--config', configPath, '--datasets', datasets]);
  const browser = await launchChromium();
  const p = await browser.newPage(page);
  const pageErrors: string[] = [];
  p.on('pageerror', (e) => pageErrors.push(e.message));
  const session = { serve, browser, page: p, datasets, pageErrors };
  await logIn(session);
  return session;
}

/** (Re)loads the UI through the login URL and waits until it is connected to the host. */
export async function logIn(s: Pick<UiSession, 'serve' | 'page'>): Promise<void> {
  await s.page.goto(s.serve.loginUrl);
  await s.page.waitForSelector('[data-testid="connection-state"][data-state="connected"]', {
    timeout: 10_000,
  });
}

/** Closes the browser and stops the host: it must exit cleanly and the page must have had no errors. */
export async function closeUiSession(s: UiSession | undefined): Promise<void> {
  await s?.browser.close();
  expect(await s?.serve.stop()).toBe(0);
  expect(s?.pageErrors).toEqual([]);
}

/** Moves the stage with the Control tab's Go to fields (the page keeps control) and waits for it. */
export async function moveStageTo(s: Pick<UiSession, 'serve' | 'page'>, xUm: number, yUm: number) {
  await s.page.getByTestId('tab-control').click();
  await s.page.getByTestId('goto-x').fill(xUm.toFixed(2));
  await s.page.getByTestId('goto-y').fill(yUm.toFixed(2));
  await s.page.getByTestId('goto-xy').click();
  await expect
    .poll(
      async () => {
        const st = (await serveState(s.serve)).stage;
        return Math.hypot(st.xUm - xUm, st.yUm - yUm);
      },
      { timeout: 10_000 },
    )
    .toBeLessThan(0.05);
}

/** Runs `fn` on the page's navigator probe (`fn` must not close over test variables). */
export const probeNavigator = <T>(
  page: Page,
  fn: (n: NonNullable<Window['__aquilaNavigator']>) => T,
): Promise<T> => page.evaluate(`(${fn.toString()})(window.__aquilaNavigator)`) as Promise<T>;
