/**
 * End-to-end: the Navigate tab in Debian's Chromium against `aquila serve` on a small
 * simulated microscope (256² frames, 0.2 µm pixels, envelope ±1000 µm). Assertions are on
 * real positions: the host's stage state, the mosaic's stored texels against the live view's
 * raw pixels, and the drawn plan markers against the plan's own expansion. Needs the built
 * UI (`npm run build:renderer`). Screenshots go to test-results/e2e/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallSimConfig } from '../support/host-fixture';
import { repoRoot, type ServeProcess, serveState } from '../support/serve-process';
import {
  closeUiSession,
  logIn,
  moveStageTo,
  openUiSession,
  probeNavigator,
  type UiSession,
} from '../support/ui-session';

const artefacts = path.join(repoRoot, 'test-results/e2e');
mkdirSync(artefacts, { recursive: true });

const config = smallSimConfig({
  sampleHolder: {
    kind: 'dish',
    centerUm: { xUm: 0, yUm: 0 },
    diameterMm: 1.8,
    glassDiameterMm: 1.2,
  },
});
const UM_PER_PX = 0.2;
/** expect.poll's default (1 s) is too short on a loaded machine. */
const POLL = { timeout: 10_000 };
const HALF_FOV_UM = (256 * UM_PER_PX) / 2;

let ui: UiSession;
let serve: ServeProcess;
let page: Page;

beforeAll(async () => {
  ui = await openUiSession(config, {
    viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
  });
  ({ serve, page } = ui);
  await showNavigator();
}, 60_000);

afterAll(() => closeUiSession(ui));

async function showNavigator() {
  await page.getByTestId('tab-navigate').click();
  await page.waitForFunction(() => (window.__aquilaNavigator?.renders ?? 0) > 0);
}

async function openNavigator() {
  await logIn(ui);
  await showNavigator();
}

const hostState = () => serveState(serve);

const moveTo = (xUm: number, yUm: number) => moveStageTo(ui, xUm, yUm);
const probe = <T>(fn: (n: NonNullable<Window['__aquilaNavigator']>) => T) =>
  probeNavigator(page, fn);

describe('Navigate tab in Chromium', { timeout: 60_000 }, () => {
  it('a snapped frame appears where the stage was, texel for texel the live frame', async () => {
    await moveTo(300, -200);
    await page.getByTestId('snap').click();
    await page.getByTestId('tab-navigate').click();
    await expect
      .poll(() => page.evaluate(() => window.__aquilaNavigator!.framesPlaced), POLL)
      .toBe(1);
    const placed = await page.evaluate(() => window.__aquilaNavigator!.placed.at(-1)!);
    expect(placed.centerXUm).toBeCloseTo(300, 1);
    expect(placed.centerYUm).toBeCloseTo(-200, 1);
    // Compare stored texels with the raw frame the live view drew (same seq, drawn next tick).
    await expect
      .poll(() => page.evaluate(() => window.__aquilaDisplay!.lastSeq), POLL)
      .toBe(await page.evaluate(() => window.__aquilaNavigator!.placed.at(-1)!.seq));
    const check = await page.evaluate(
      ({ half, px }) => {
        const nav = window.__aquilaNavigator!;
        const disp = window.__aquilaDisplay!;
        const f = nav.placed.at(-1)!;
        const x0 = f.centerXUm - half;
        const y0 = f.centerYUm - half;
        const rows: [number | null, number | null][] = [];
        for (const [tx, ty] of [
          [x0 + 3, y0 + 3],
          [f.centerXUm, f.centerYUm],
          [x0 + 2 * half - 4, y0 + 10],
          [x0 + 17, y0 + 2 * half - 6],
        ] as const) {
          const cx = Math.floor(tx) + 0.5;
          const cy = Math.floor(ty) + 0.5;
          const col = Math.floor((cx - x0) / px);
          const row = Math.floor((cy - y0) / px);
          rows.push([nav.sample(f.channel, cx, cy), disp.readPixel(col, row)]);
        }
        return { rows, seq: disp.lastSeq, navSeq: f.seq };
      },
      { half: HALF_FOV_UM, px: UM_PER_PX },
    );
    expect(check.navSeq).toBe(check.seq);
    for (const [stored, raw] of check.rows) {
      expect(raw).not.toBeNull();
      expect(stored).toBe(raw);
    }
    // What the GPU draws there: the stored value through the live view's window and LUT.
    if ((await page.getByTestId('auto-contrast').getAttribute('aria-pressed')) === 'true')
      await page.getByTestId('auto-contrast').click();
    await page.getByTestId('display-max').fill('4095');
    await page.getByTestId('display-max').press('Enter');
    await page.getByTestId('display-min').fill('0');
    await page.getByTestId('display-min').press('Enter');
    await page.evaluate(() =>
      window.__aquilaNavigator!.setView({ centerXUm: 300, centerYUm: -200, umPerPx: 0.25 }),
    );
    const drawn = await page.evaluate(() => {
      const nav = window.__aquilaNavigator!;
      const out: { value: number | null; rgb: number[] | null }[] = [];
      for (const [x, y] of [
        [290.5, -210.5],
        [300.5, -199.5],
        [320.5, -180.5],
        [300.5, -240.5], // outside the frame
      ]) {
        const p = nav.stageToClient(x!, y!);
        out.push({ value: nav.sample(null, x!, y!), rgb: nav.drawnRgb(p.x, p.y) });
      }
      return out;
    });
    await page
      .getByTestId('navigator')
      .screenshot({ path: path.join(artefacts, 'navigator-tile.png') });
    for (const d of drawn.slice(0, 3)) {
      const grey = Math.round((Math.min(4095, d.value!) / 4095) * 255);
      expect(d.rgb).not.toBeNull();
      for (const c of d.rgb!) expect(Math.abs(c - grey)).toBeLessThanOrEqual(1);
    }
    expect(drawn[3]!.value).toBeNull();
    expect(drawn[3]!.rgb).toEqual([15, 18, 20]); // BACKGROUND_RGB
    await page.getByTestId('nav-fit').click();
    // Outside the field: nothing stored.
    expect(await probe((n) => n.sample(null, 300 + 30, -200))).toBeNull();
    expect(await probe((n) => n.sample(null, -300, 200))).toBeNull();
    await page.getByTestId('navigator').screenshot({ path: path.join(artefacts, 'navigator.png') });
  });

  it('double-clicking the map moves the stage to that point through stage.moveTo', async () => {
    const target = await probe((n) => n.stageToClient(-400, 350));
    const x = Math.round(target.x);
    const y = Math.round(target.y);
    const expected = await page.evaluate(
      ({ x, y }) => window.__aquilaNavigator!.clientToStage(x, y),
      { x, y },
    );
    expect(Math.hypot(expected.x + 400, expected.y - 350)).toBeLessThan(10);
    await page.mouse.dblclick(x, y);
    await expect
      .poll(async () => {
        const s = await hostState();
        return Math.hypot(s.stage.xUm - expected.x, s.stage.yUm - expected.y);
      }, POLL)
      .toBeLessThan(0.05);
    // The field of view follows the stage.
    await expect
      .poll(async () => Number(await page.getByTestId('nav-fov').getAttribute('data-x-um')), POLL)
      .toBeCloseTo(expected.x, 1);
    expect(await page.getByTestId('nav-goto-error').count()).toBe(0);
  });

  it('a double-click outside the envelope is refused by the safety layer, reason shown', async () => {
    const before = (await hostState()).stage;
    const canvas = (await page.getByTestId('nav-canvas').boundingBox())!;
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    await page.mouse.wheel(0, 400); // zoom out: the map shows beyond the ±1000 µm envelope
    await expect.poll(() => probe((n) => n.view().umPerPx), POLL).toBeGreaterThan(5);
    const p = await probe((n) => n.stageToClient(1400, 0));
    expect(p.x).toBeLessThan(canvas.x + canvas.width);
    await page.mouse.dblclick(Math.round(p.x), Math.round(p.y));
    const err = page.getByTestId('nav-goto-error');
    await err.waitFor();
    expect(await err.getAttribute('data-code')).toBe('E_LIMIT');
    expect(await err.textContent()).toMatch(/Move refused: .*1[34]\d\d/);
    const after = (await hostState()).stage;
    expect(after.xUm).toBeCloseTo(before.xUm, 3);
    expect(after.yUm).toBeCloseTo(before.yUm, 3);
    await page.getByTestId('nav-fit').click();
  });

  it('Scan overview acquires a grid of fields around the stage, each placed where it was taken', async () => {
    const st = (await hostState()).stage;
    const before = await probe((n) => n.framesPlaced);
    await page.getByTestId('nav-scan-rows').fill('2');
    await page.getByTestId('nav-scan-rows').press('Enter');
    await page.getByTestId('nav-scan-columns').fill('2');
    await page.getByTestId('nav-scan-columns').press('Enter');
    await page.getByTestId('nav-scan').click();
    await expect.poll(() => probe((n) => n.framesPlaced), POLL).toBe(before + 4);
    await page.getByTestId('nav-scan').waitFor(POLL); // the Stop button is gone: finished
    expect(await page.getByTestId('nav-scan-error').count()).toBe(0);
    const centres = (await probe((n) => n.placed.slice(-4))).map((f) => [
      Math.round((f.centerXUm - st.xUm) / HALF_FOV_UM),
      Math.round((f.centerYUm - st.yUm) / HALF_FOV_UM),
    ]);
    // Fields one field of view (2 half-widths) apart, serpentine, around the start.
    expect(centres).toEqual([
      [-1, -1],
      [1, -1],
      [1, 1],
      [-1, 1],
    ]);
  });

  it('snaps at three z at one field show as a z-stack in orthogonal slices', async () => {
    await page.getByTestId('tab-control').click();
    for (const z of [-4, 0, 4]) {
      await page.getByTestId('goto-z').fill(String(z));
      await page.getByTestId('goto-z-go').click();
      await expect.poll(async () => (await hostState()).focus.zUm, POLL).toBeCloseTo(z, 1);
      const before = await probe((n) => n.framesPlaced);
      await page.getByTestId('snap').click();
      await expect.poll(() => probe((n) => n.framesPlaced), POLL).toBe(before + 1);
    }
    await page.getByTestId('tab-navigate').click();
    await expect
      .poll(() => page.getByTestId('nav-zslice').getAttribute('data-planes'), POLL)
      .toBe('3');
    await page
      .getByTestId('navigator')
      .screenshot({ path: path.join(artefacts, 'navigator-z.png') });
  });

  it('the mosaic survives a reload (IndexedDB)', async () => {
    const frame = await page.evaluate(() => window.__aquilaNavigator!.placed[0]!);
    // The host re-sends its last frame to a new page: make that one a frame taken elsewhere.
    const placedBefore = await probe((n) => n.framesPlaced);
    await page.getByTestId('tab-control').click();
    await page.getByTestId('snap').click();
    await expect.poll(() => probe((n) => n.framesPlaced), POLL).toBe(placedBefore + 1);
    const value = await probe((n) => n.sample(null, 300.5, -199.5));
    expect(value).not.toBeNull();
    await expect.poll(() => probe((n) => n.persistPending), POLL).toBe(false);
    // A point of the scan's second field, in the level-0 cell the re-sent frame will land in.
    const st = (await hostState()).stage;
    const p = { x: st.xUm + 2 * HALF_FOV_UM, y: st.yUm - 2 * HALF_FOV_UM };
    const readP = () => page.evaluate((q) => window.__aquilaNavigator!.sample(null, q.x, q.y), p);
    const atP = await readP();
    expect(atP).not.toBeNull();
    expect(await probe((n) => n.persistedCells)).toBeGreaterThan(0);
    await openNavigator();
    await expect.poll(() => probe((n) => n.restoredCells), POLL).toBeGreaterThan(0);
    // The re-sent frame started that cell afresh over the stored one: the stored texels are
    // merged in when the cell is saved (the fitted view does not show level 0).
    expect(await probe((n) => n.level)).toBeGreaterThan(0);
    await expect.poll(readP, POLL).toBe(atP);
    // Only keys are read at start; cells load when the view reaches them.
    await page.evaluate(() =>
      window.__aquilaNavigator!.setView({ centerXUm: 300, centerYUm: -200, umPerPx: 0.5 }),
    );
    await expect
      .poll(
        () =>
          page.evaluate((ch) => window.__aquilaNavigator!.sample(ch, 300.5, -199.5), frame.channel),
        POLL,
      )
      .toBe(value);
    // Not re-imaged since the reload: any frame placed now was taken elsewhere.
    const since = await probe((n) => n.placed.map((f) => [f.centerXUm, f.centerYUm]));
    for (const [x, y] of since) expect(Math.hypot(x! - 300, y! + 200)).toBeGreaterThan(100);
    await page.getByTestId('nav-clear').click();
    await expect.poll(() => probe((n) => n.cells), POLL).toBe(0);
  });
});
