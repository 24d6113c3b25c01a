/**
 * End-to-end: the Macros tab in Debian's Chromium against `aquila serve` on the small
 * simulated microscope: completion from the generated typings, run, dry run with a refused
 * call, abort of a tight loop. Needs the built UI (`npm run build:renderer`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { smallSimConfig } from '../support/host-fixture';
import { repoRoot, startServe, type ServeProcess } from '../support/serve-process';
import { tempDir } from '../support/temp-dir';

const artefacts = path.join(repoRoot, 'test-results/e2e');
mkdirSync(artefacts, { recursive: true });

let serve: ServeProcess;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  const dir = tempDir('aquila-macroui-');
  const datasets = path.join(dir, 'data');
  mkdirSync(datasets);
  const configPath = path.join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(smallSimConfig()));
  serve = await startServe(['--config', configPath, '--datasets', datasets]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(serve.loginUrl);
  await page.waitForSelector('[data-testid="connection-state"][data-state="connected"]', {
    timeout: 10_000,
  });
  await page.click('[data-testid="tab-macros"]');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  const code = await serve?.stop();
  expect(code).toBe(0);
});

/** Replaces the editor's document by typing `text` (CodeMirror 6 in the page). */
async function typeMacro(text: string): Promise<void> {
  await page.click('[data-testid="macro-editor"] .cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // one line at a time, so auto-indent and bracket closing do not add text
  for (const line of text.split('\n')) {
    await page.keyboard.insertText(line);
    await page.keyboard.press('Enter');
  }
}

async function phaseText(): Promise<string> {
  return (await page.textContent('[data-testid="macro-phase"]')) ?? '';
}

/** Waits until the macro's phase line contains `word`; on timeout says what the tab shows. */
async function waitPhase(word: string, timeout: number): Promise<void> {
  try {
    await page.waitForFunction(
      (w) => document.querySelector('[data-testid="macro-phase"]')?.textContent?.includes(w),
      word,
      { timeout },
    );
  } catch {
    const tab = await page.textContent('[data-testid="macros-tab"]');
    throw new Error(`macro never "${word}"; the tab shows: ${tab}`);
  }
}

describe('Macros tab', () => {
  it('lists the library and completes aquila.… from the contract', async () => {
    await page.waitForSelector('[data-testid="macro-library"] option[value="z-stack-at-rois"]', {
      state: 'attached',
      timeout: 10_000,
    });
    const options = await page.$$eval('[data-testid="macro-library"] option', (os) =>
      os.map((o) => (o as HTMLOptionElement).value),
    );
    expect(options).toEqual(expect.arrayContaining(['laser-power-series', 'z-stack-at-rois']));
    await page.click('[data-testid="macro-editor"] .cm-content');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('aquila.stage.mo');
    const tooltip = await page.waitForSelector('.cm-tooltip-autocomplete', { timeout: 5_000 });
    const text = (await tooltip.textContent()) ?? '';
    expect(text).toContain('moveTo');
    expect(text).toContain('moveBy');
    await page.keyboard.press('Escape');
  });

  it('runs a macro: console and phase', async () => {
    await typeMacro(
      "await aquila.stage.moveTo({ xUm: 120, yUm: -40 });\naquila.log('moved', (await aquila.stage.position()).xUm);",
    );
    await page.click('[data-testid="macro-run"]');
    await waitPhase('finished', 20_000);
    expect(await page.textContent('[data-testid="macro-console"]')).toContain('moved 120');
  }, 30_000);

  it('dry-runs: a refused move is reported, the stage stays', async () => {
    await typeMacro("await aquila.stage.moveTo({ xUm: 5000, yUm: 0 });\naquila.log('after');");
    await page.click('[data-testid="macro-dry-run"]');
    await waitPhase('(dry run): finished', 20_000);
    await page.waitForSelector('[data-testid="macro-report"]', { timeout: 5_000 });
    const report = (await page.textContent('[data-testid="macro-report"]')) ?? '';
    expect(report).toContain('1 refused call');
    expect(report).toMatch(/E_LIMIT.*X maximum/);
    expect(await phaseText()).toContain('(dry run): finished');
    // the dry run moved the twin's stage, not this one (left at 120 by the previous test)
    const res = await fetch(new URL('/api/state', serve.baseUrl), {
      headers: { authorization: `Bearer ${serve.token}` },
    });
    expect((await res.json()).state.stage).toMatchObject({ xUm: 120, yUm: -40 });
    await page.screenshot({ path: path.join(artefacts, 'macros-dry-run.png') });
  }, 30_000);

  it('aborts a tight loop from the running list', async () => {
    await typeMacro("aquila.log('spinning');\nwhile (true) {}");
    await page.click('[data-testid="macro-run"]');
    const abort = await page.waitForSelector('[data-testid^="macro-abort-"]', { timeout: 20_000 });
    await abort.click();
    await waitPhase('aborted', 5_000);
    expect(await page.textContent('[data-testid="macro-error"]')).toContain('aborted');
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
