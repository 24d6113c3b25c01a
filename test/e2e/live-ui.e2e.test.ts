/**
 * End-to-end: `aquila serve` (what `npm run serve` runs) + Debian's Chromium. Screenshots
 * are kept in test-results/e2e/ as artefacts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { repoRoot, startServe, type ServeProcess, serveState } from '../support/serve-process';

const artefacts = path.join(repoRoot, 'test-results/e2e');
mkdirSync(artefacts, { recursive: true });

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let tmp: string;

beforeAll(async () => {
  // The e2e scope with a second channel preset, for one LUT per channel.
  tmp = mkdtempSync(path.join(os.tmpdir(), 'aquila-live-e2e-'));
  const base = JSON.parse(
    readFileSync(path.join(repoRoot, 'test/fixtures/configs/e2e.json'), 'utf8'),
  ) as { channels: unknown[] };
  const config = {
    ...base,
    channels: [
      ...base.channels,
      { name: 'mCherry', laserId: 'laser561', powerMw: 40, exposureMs: 20 },
    ],
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

async function framesDrawn(): Promise<number> {
  return page.evaluate(() => window.__aquilaDisplay?.framesDrawn ?? 0);
}

/** Raw pixel values of the last drawn frame on a grid with `step` px spacing. */
async function grab(step: number): Promise<{ w: number; h: number; values: number[][] }> {
  return page.evaluate((s) => {
    const d = window.__aquilaDisplay!;
    const w = d.lastMeta!.widthPx;
    const h = d.lastMeta!.heightPx;
    const rows: number[][] = [];
    for (let y = 0; y < h; y += s) {
      const row: number[] = [];
      for (let x = 0; x < w; x += s) row.push(d.readPixel(x, y) ?? 0);
      rows.push(row);
    }
    return { w, h, values: rows };
  }, step);
}

/** The x shift (grid units) that best aligns `b` onto `a`: b(x) ≈ a(x - shift). */
function bestShiftX(a: number[][], b: number[][], maxShift: number): number {
  let best = 0;
  let bestScore = -Infinity;
  for (let s = -maxShift; s <= maxShift; s++) {
    let sum = 0;
    let n = 0;
    for (let y = 0; y < a.length; y++) {
      const ra = a[y]!;
      const rb = b[y]!;
      for (let x = Math.max(0, s); x < Math.min(ra.length, ra.length + s); x++) {
        sum += ra[x - s]! * rb[x]!;
        n++;
      }
    }
    const score = sum / n;
    if (score > bestScore) {
      bestScore = score;
      best = s;
    }
  }
  return best;
}

async function waitForNewFrames(count: number): Promise<void> {
  const start = await framesDrawn();
  await expect.poll(framesDrawn, { timeout: 15_000 }).toBeGreaterThanOrEqual(start + count);
}

describe('UI in Chromium against aquila serve', { timeout: 90_000 }, () => {
  it('refuses the page and the API without the token', async () => {
    const context = await browser.newContext();
    const p = await context.newPage();
    const res = await p.goto(serve.baseUrl);
    expect(res?.status()).toBe(401);
    const api = await p.evaluate(async () => (await fetch('/api/state')).status);
    expect(api).toBe(401);
    const wsCode = await p.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(`ws://${location.host}/api/ws`);
          ws.onclose = (e) => resolve(e.code);
        }),
    );
    expect(wsCode).toBe(4401);
    await context.close();
  });

  it('logs in with the printed URL, drops the token from the address bar, and the live image updates', async () => {
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(serve.loginUrl);
    expect(page.url()).toBe(serve.baseUrl);
    await expect
      .poll(() => page.getByTestId('connection-state').textContent(), { timeout: 10_000 })
      .toMatch(/connected/i);
    await page.getByTestId('channel-GFP').click();
    await page.getByTestId('live-toggle').click();
    await waitForNewFrames(5);
    const a = await page.evaluate(() => window.__aquilaDisplay!.lastSeq);
    await waitForNewFrames(3);
    const b = await page.evaluate(() => window.__aquilaDisplay!.lastSeq);
    expect(b).toBeGreaterThan(a);
    // The image says which channel it shows, and the LUT controls are that channel's.
    await expect.poll(() => page.getByTestId('frame-info').textContent()).toMatch(/^GFP · #/);
    await expect.poll(() => page.getByTestId('display-channel').textContent()).toBe('GFP');
    await page.screenshot({ path: path.join(artefacts, 'live.png') });
    expect(errors).toEqual([]);
  });

  it('switching channels in live switches the LUT: each channel keeps its own', async () => {
    const lut = async () => ({
      channel: await page.getByTestId('display-channel').textContent(),
      auto: await page.getByTestId('auto-contrast').getAttribute('aria-pressed'),
      min: await page.getByTestId('display-min').inputValue(),
      max: await page.getByTestId('display-max').inputValue(),
      colormap: await page.getByTestId('colormap').inputValue(),
    });
    const setLut = async (min: string, max: string, colormap: string) => {
      await page.getByTestId('display-max').fill(max);
      await page.getByTestId('display-max').press('Enter');
      await page.getByTestId('display-min').fill(min);
      await page.getByTestId('display-min').press('Enter');
      await page.getByTestId('colormap').selectOption(colormap);
    };
    /** Selects the channel and waits until the live image (and so the LUT) is that channel's. */
    const show = async (channel: string) => {
      await page.getByTestId(`channel-${channel}`).click();
      await expect
        .poll(() => page.getByTestId('frame-info').textContent(), { timeout: 10_000 })
        .toMatch(new RegExp(`^${channel} · #`));
      await expect.poll(() => page.getByTestId('display-channel').textContent()).toBe(channel);
    };
    const gfp = { channel: 'GFP', auto: 'false', min: '110', max: '900', colormap: 'hot' };
    const mcherry = {
      channel: 'mCherry',
      auto: 'false',
      min: '150',
      max: '3000',
      colormap: 'grey',
    };
    await setLut(gfp.min, gfp.max, gfp.colormap);
    await expect.poll(lut).toEqual(gfp);
    await show('mCherry');
    // The line switched with the chip: light from the mCherry laser only.
    const lasers = (await hostState()).lasers;
    expect([lasers.laser488.emission, lasers.laser561.emission]).toEqual([false, true]);
    await setLut(mcherry.min, mcherry.max, mcherry.colormap);
    await expect.poll(lut).toEqual(mcherry);
    await show('GFP');
    await expect.poll(lut).toEqual(gfp);
    await show('mCherry');
    await expect.poll(lut).toEqual(mcherry);
    await page.screenshot({ path: path.join(artefacts, 'lut-mcherry.png') });
    await show('GFP');
    // Back to auto-contrast for the tests after this one.
    await page.getByTestId('auto-contrast').click();
    await expect.poll(lut).toMatchObject({ channel: 'GFP', auto: 'true' });
  });

  it('a focused number field keeps its text and selection while auto-contrast moves the value', async () => {
    // The LUT test's failure (typed max lost): the value pushed by auto-contrast replaced the
    // text right after focus, so the selection collapsed and "900" was appended to it. Each
    // animation frame (after the live view's own tick, which may push) alternately focuses
    // the field with its text selected, as `fill` and Tab do, and checks it a frame later.
    await expect
      .poll(() => page.getByTestId('auto-contrast').getAttribute('aria-pressed'))
      .toBe('true');
    const problems = await page.evaluate(async (frames) => {
      const field = document.querySelector<HTMLInputElement>('[data-testid="display-max"]')!;
      const auto = document.querySelector('[data-testid="auto-contrast"]')!;
      const out: string[] = [];
      let atFocus = '';
      for (let i = 0; i < frames; i++) {
        await new Promise((r) => requestAnimationFrame(r));
        // Leaving the field without typing must commit nothing (it would turn auto off).
        if (auto.getAttribute('aria-pressed') !== 'true') {
          out.push(`auto-contrast went off after the field was left untyped (frame ${i})`);
          break;
        }
        if (document.activeElement !== field) {
          field.select();
          field.focus();
          atFocus = field.value;
          continue;
        }
        const { value, selectionStart: from, selectionEnd: to } = field;
        if (value !== atFocus || from !== 0 || to !== value.length)
          out.push(`focused at "${atFocus}", then "${value}" selected ${from}..${to}`);
        field.blur();
      }
      field.blur();
      return out;
    }, 120);
    expect(problems).toEqual([]);
  });

  it('jogging X moves the sample in the image and updates the readout', async () => {
    const before = await hostState();
    await waitForNewFrames(2);
    const imgBefore = await grab(2);
    await page.getByTestId('jog-step').selectOption('10');
    await page.getByTestId('jog-right').click();
    await expect
      .poll(async () => (await hostState()).stage.xUm, { timeout: 5_000 })
      .toBeCloseTo(before.stage.xUm + 10, 3);
    await expect
      .poll(() => page.getByTestId('stage-x').textContent(), { timeout: 5_000 })
      .toContain((before.stage.xUm + 10).toFixed(1));
    await expect
      .poll(() => page.evaluate(() => window.__aquilaDisplay!.lastMeta!.stage.xUm), {
        timeout: 5_000,
      })
      .toBeCloseTo(before.stage.xUm + 10, 3);
    await waitForNewFrames(2);
    const imgAfter = await grab(2);
    // +10 µm of stage at 0.2 µm/px = 50 px = 25 grid units; the sample moves toward −x in the image.
    const shift = bestShiftX(imgBefore.values, imgAfter.values, 40);
    expect(shift).toBeGreaterThanOrEqual(-27);
    expect(shift).toBeLessThanOrEqual(-23);
    await page.screenshot({ path: path.join(artefacts, 'after-jog.png') });

    // Alt+click centres the clicked point (issue #18 §7): right of centre is stage +X.
    const box = (await page.getByTestId('live-view').boundingBox())!;
    const at = (await hostState()).stage;
    await page.getByTestId('live-view').click({
      modifiers: ['Alt'],
      position: { x: box.width / 2 + 60, y: box.height / 2 },
    });
    await expect
      .poll(async () => (await hostState()).stage.xUm, { timeout: 5_000 })
      .toBeGreaterThan(at.xUm + 1);
    expect(Math.abs((await hostState()).stage.yUm - at.yUm)).toBeLessThan(2);
  });

  it('with the laser off the image falls to the camera offset', async () => {
    const lit = await grab(4);
    const mean = (g: { values: number[][] }) =>
      g.values.flat().reduce((s, v) => s + v, 0) / g.values.flat().length;
    expect(mean(lit)).toBeGreaterThan(110);
    await page.getByTestId('laser-laser488-emission').click();
    await expect
      .poll(async () => (await hostState()).lasers.laser488.emission, { timeout: 5_000 })
      .toBe(false);
    await expect
      .poll(() => page.evaluate(() => window.__aquilaDisplay!.lastMeta!.lasersMw.laser488), {
        timeout: 10_000,
      })
      .toBe(0);
    await waitForNewFrames(2);
    const dark = await grab(4);
    expect(Math.abs(mean(dark) - 100)).toBeLessThan(3);
    await expect.poll(() => page.getByTestId('frame-info').textContent()).toMatch(/^dark · #/);
    await page.screenshot({ path: path.join(artefacts, 'laser-off.png') });
  });

  it('a power above the maximum is refused in words, with unit and limit, and clears on edit', async () => {
    const field = page.getByTestId('laser-laser488-power');
    await field.fill('200');
    await field.press('Enter');
    await expect
      .poll(() => page.getByTestId('laser-laser488-power-error').textContent())
      .toBe('488 nm power: 200 mW is above the maximum of 150 mW');
    expect((await hostState()).lasers.laser488.powerMw).not.toBe(200);
    await field.fill('12');
    await expect.poll(() => page.getByTestId('laser-laser488-power-error').count()).toBe(0);
    await field.press('Enter');
    await expect.poll(async () => (await hostState()).lasers.laser488.powerMw).toBe(12);
  });

  it('e-stop turns every laser off and latches until reset', async () => {
    await page.getByTestId('channel-GFP').click();
    await expect
      .poll(async () => (await hostState()).lasers.laser488.emission, { timeout: 5_000 })
      .toBe(true);
    await page.getByTestId('estop').click();
    await expect
      .poll(async () => (await hostState()).safety.estopLatched, { timeout: 5_000 })
      .toBe(true);
    const s = await hostState();
    expect(
      Object.values(s.lasers as Record<string, { emission: boolean }>).map((l) => l.emission),
    ).toEqual([false, false]);
    // The banner follows the host's state patch, which may land after the poll above.
    await expect
      .poll(() => page.getByTestId('estop-banner').isVisible(), { timeout: 5_000 })
      .toBe(true);
    await page.screenshot({ path: path.join(artefacts, 'estop.png') });

    // Issue #18 §5: while latched the controls are locked (the chip cannot be clicked), a
    // keyboard jog is not even sent, so no refusal toasts stack up; nothing changes.
    await expect.poll(() => page.getByTestId('channel-GFP').isDisabled()).toBe(true);
    await expect.poll(() => page.getByTestId('laser-laser488-power').isDisabled()).toBe(true);
    const at = (await hostState()).stage;
    await page.getByTestId('live-view').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await new Promise((r) => setTimeout(r, 300));
    expect(await page.locator('[data-testid="toast"][data-level="error"]').count()).toBe(0);
    expect((await hostState()).stage).toMatchObject({ xUm: at.xUm, yUm: at.yUm });

    // Reset asks once; "No" leaves it latched.
    await page.getByTestId('estop-reset').click();
    await page.getByTestId('estop-reset-no').click();
    expect((await hostState()).safety.estopLatched).toBe(true);
    await page.getByTestId('estop-reset').click();
    await page.getByTestId('estop-reset-confirm').click();
    await expect
      .poll(async () => (await hostState()).safety.estopLatched, { timeout: 5_000 })
      .toBe(false);
    // After the reset the chip's selection matches its line: off, not selected.
    await expect
      .poll(() => page.getByTestId('channel-GFP').getAttribute('aria-pressed'))
      .toBe('false');
    expect((await hostState()).lasers.laser488).toMatchObject({ emission: false, armed: false });
    await expect.poll(() => page.getByTestId('channel-GFP').isEnabled()).toBe(true);
    // The reset appears once in the event list (a host event, which may land after the patch
    // that unlocked the chip; a second copy would arrive with it).
    const resets = () => page.getByTestId('event').filter({ hasText: 'E-stop reset' }).count();
    await expect.poll(resets).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await resets()).toBe(1);
  });
});
