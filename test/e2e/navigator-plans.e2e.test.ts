/**
 * End-to-end: plans on the Navigate tab's map in Debian's Chromium against `aquila serve` on
 * a small simulated microscope (256² frames, 0.2 µm pixels, envelope ±1000 µm): the Acquire
 * form's positions and grid drawn where the plan's own expansion puts them and edited by
 * dragging, and a loaded plan's polygon outlined and re-expanded after a vertex drag. One
 * host and one browser for the file; the tests run in order on the same form. Needs the built
 * UI (`npm run build:renderer`). Screenshots go to test-results/e2e/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intersectsRect, type Pt } from '../../electron/api/shared/polygon';
import { expandSequence } from '../../electron/plans/expand';
import { parsePlan } from '../../electron/plans/load';
import { planXyPath } from '../../electron/plans/xy-path';
import { smallSimConfig } from '../support/host-fixture';
import { repoRoot, type ServeProcess, serveState } from '../support/serve-process';
import {
  closeUiSession,
  moveStageTo,
  openUiSession,
  probeNavigator,
  type UiSession,
} from '../support/ui-session';

const artefacts = path.join(repoRoot, 'test-results/e2e');
mkdirSync(artefacts, { recursive: true });

// The Navigate tab's own test config (navigator-ui.e2e): a dish at the centre.
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
  await page.getByTestId('tab-navigate').click();
  await page.waitForFunction(() => (window.__aquilaNavigator?.renders ?? 0) > 0);
}, 60_000);

afterAll(() => closeUiSession(ui));

const hostState = () => serveState(serve);
const moveTo = (xUm: number, yUm: number) => moveStageTo(ui, xUm, yUm);
const probe = <T>(fn: (n: NonNullable<Window['__aquilaNavigator']>) => T) =>
  probeNavigator(page, fn);

describe('plans on the Navigate tab in Chromium', { timeout: 60_000 }, () => {
  it("draws the Acquire tab's plan positions where the plan's expansion puts them", async () => {
    await moveTo(100, 100);
    await page.getByTestId('tab-acquire').click();
    await page.getByTestId('acq-channel-GFP').check();
    await page.getByTestId('acq-add-position').click();
    await moveTo(-250, 500);
    await page.getByTestId('tab-acquire').click();
    await page.getByTestId('acq-add-position').click();
    await page.getByTestId('acq-grid-enabled').check();
    await page.getByTestId('acq-grid-rows').fill('2');
    await page.getByTestId('acq-grid-columns').fill('3');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('acq-plan-save').click(),
    ]);
    const plan = readFileSync((await download.path())!, 'utf8');
    const expected = planXyPath(
      expandSequence(parsePlan(plan, 'saved plan'), {
        fovUm: { widthUm: 2 * HALF_FOV_UM, heightUm: 2 * HALF_FOV_UM },
      }),
    );
    expect(expected).toHaveLength(12);
    await page.getByTestId('tab-navigate').click();
    await expect
      .poll(() => page.getByTestId('nav-plan-count').textContent(), POLL)
      .toBe('12 plan positions');
    for (const q of expected) {
      const marker = page.getByTestId(`nav-plan-${q.order}`).locator('circle');
      const box = (await marker.boundingBox())!;
      const at = await page.evaluate(({ x, y }) => window.__aquilaNavigator!.clientToStage(x, y), {
        x: box.x + box.width / 2,
        y: box.y + box.height / 2,
      });
      const umPerPx = await probe((n) => n.view().umPerPx);
      expect(Math.abs(at.x - q.xUm)).toBeLessThan(umPerPx);
      expect(Math.abs(at.y - q.yUm)).toBeLessThan(umPerPx);
    }
  });

  it('dragging a plan marker moves its position in the Acquire form', async () => {
    const before = await page.evaluate(() => window.__aquilaNavigator!.planPositions[0]!);
    expect(before.name).toBe('pos1');
    const umPerPx = await probe((n) => n.view().umPerPx);
    const box = (await page.getByTestId('nav-plan-0').locator('circle').boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 20, y + 10, { steps: 4 });
    await page.mouse.move(x + 40, y + 20, { steps: 4 });
    await page.mouse.up();
    // Every tile of pos1 moved by the drag; the form row shows the new position.
    await expect
      .poll(() => page.evaluate(() => window.__aquilaNavigator!.planPositions[0]!.xUm), POLL)
      .toBeCloseTo(before.xUm + 40 * umPerPx, 0);
    const after = await page.evaluate(() => window.__aquilaNavigator!.planPositions[0]!);
    expect(after.yUm).toBeCloseTo(before.yUm + 20 * umPerPx, 0);
    await page.getByTestId('tab-acquire').click();
    expect(await page.getByTestId('acq-position-0').textContent()).toContain(
      `pos1: ${(100 + 40 * umPerPx).toFixed(1)}, ${(100 + 20 * umPerPx).toFixed(1)}`,
    );
    await page.getByTestId('tab-navigate').click();
    // The stage did not move (the marker took the drag, not the map).
    const st = (await hostState()).stage;
    expect(Math.hypot(st.xUm + 250, st.yUm - 500)).toBeLessThan(0.05);
  });

  it("dragging the grid's corner handle resizes the Acquire form's grid", async () => {
    // The plan's grid: 2 rows × 3 columns of 51.2 µm fields overlapping 10 % (46.08 µm steps).
    const step = 2 * HALF_FOV_UM * 0.9;
    const umPerPx = await probe((n) => n.view().umPerPx);
    const box = (await page.getByTestId('nav-grid-handle').boundingBox())!;
    const x = box.x + 1;
    const y = box.y + 1;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + (step / umPerPx) * 1, y + (step / umPerPx) * 0.5, { steps: 4 });
    await page.mouse.move(x + (step / umPerPx) * 2, y + (step / umPerPx) * 1, { steps: 4 });
    await page.mouse.up();
    // Two more columns and one more row: 3 × 5 tiles at each of the 2 positions.
    await expect
      .poll(() => page.getByTestId('nav-plan-count').textContent(), POLL)
      .toBe('30 plan positions');
    await page.getByTestId('tab-acquire').click();
    expect(await page.getByTestId('acq-grid-columns').inputValue()).toBe('5');
    expect(await page.getByTestId('acq-grid-rows').inputValue()).toBe('3');
    // Back to the 2 × 3 grid the next tests expect.
    await page.getByTestId('acq-grid-rows').fill('2');
    await page.getByTestId('acq-grid-columns').fill('3');
    await page.getByTestId('tab-navigate').click();
    await expect
      .poll(() => page.getByTestId('nav-plan-count').textContent(), POLL)
      .toBe('12 plan positions');
  });

  it("a loaded plan's polygon grid is outlined where its vertices are, its tiles inside it", async () => {
    const vertices: Pt[] = [
      [-120, -90],
      [130, -60],
      [20, 150],
    ];
    const text = JSON.stringify({
      channels: [{ config: 'GFP' }],
      stage_positions: [
        { x: 600, y: 600, name: 'poly', sequence: { grid_plan: { vertices, overlap: 0 } } },
      ],
    });
    const fov = 2 * HALF_FOV_UM;
    const expected = planXyPath(
      expandSequence(parsePlan(text, 'polygon plan'), { fovUm: { widthUm: fov, heightUm: fov } }),
    );
    expect(expected.length).toBeGreaterThan(4);
    const before = (await hostState()).stage;
    await page.getByTestId('tab-acquire').click();
    await page.getByTestId('acq-plan-load').setInputFiles({
      name: 'polygon.json',
      mimeType: 'application/json',
      buffer: Buffer.from(text),
    });
    await page.getByTestId('tab-navigate').click();
    await expect
      .poll(() => page.getByTestId('nav-plan-count').textContent(), POLL)
      .toBe(`${expected.length} plan positions`);
    await page.getByTestId('nav-fit').click();
    const umPerPx = await probe((n) => n.view().umPerPx);
    const centre = async (circle: Locator) => {
      const box = (await circle.boundingBox())!;
      return page.evaluate(({ x, y }) => window.__aquilaNavigator!.clientToStage(x, y), {
        x: box.x + box.width / 2,
        y: box.y + box.height / 2,
      });
    };
    expect(await page.getByTestId('nav-outline-0-v3').count()).toBe(0);
    for (const [j, [x, y]] of vertices.entries()) {
      const at = await centre(page.getByTestId(`nav-outline-0-v${j}`));
      expect(Math.abs(at.x - x)).toBeLessThan(umPerPx);
      expect(Math.abs(at.y - y)).toBeLessThan(umPerPx);
    }
    // Each tile drawn is one of the expansion's, and its field touches the outline.
    for (const q of expected) {
      const at = await centre(page.getByTestId(`nav-plan-${q.order}`).locator('circle'));
      expect(Math.abs(at.x - q.xUm)).toBeLessThan(umPerPx);
      expect(Math.abs(at.y - q.yUm)).toBeLessThan(umPerPx);
      const h = fov / 2;
      expect(intersectsRect(vertices, at.x - h, at.y - h, at.x + h, at.y + h)).toBe(true);
    }
    await page.screenshot({ path: path.join(artefacts, 'navigator-polygon.png') });

    // Drag vertex 1 out by 80 × 50 px: the loaded plan takes it and its tiles re-expand.
    await page.evaluate(() =>
      window.__aquilaNavigator!.setView({ centerXUm: 50, centerYUm: 0, umPerPx: 1.5 }),
    );
    const dragUmPerPx = await probe((n) => n.view().umPerPx);
    const moved = page.getByTestId('nav-outline-0-v1');
    await moved.scrollIntoViewIfNeeded();
    const handle = (await moved.boundingBox())!;
    const x = handle.x + handle.width / 2;
    const y = handle.y + handle.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 40, y + 25, { steps: 4 });
    await page.mouse.move(x + 80, y + 50, { steps: 4 });
    await page.mouse.up();
    await expect
      .poll(async () => Number(await moved.getAttribute('data-x-um')), POLL)
      .toBeCloseTo(130 + 80 * dragUmPerPx, 0);
    const movedY = Number(await moved.getAttribute('data-y-um'));
    expect(movedY).toBeCloseTo(-60 + 50 * dragUmPerPx, 0);
    const edited: Pt[] = [
      vertices[0]!,
      [Number(await moved.getAttribute('data-x-um')), movedY],
      vertices[2]!,
    ];
    const reexpanded = planXyPath(
      expandSequence(
        parsePlan(
          JSON.stringify({
            channels: [{ config: 'GFP' }],
            stage_positions: [
              { x: 600, y: 600, sequence: { grid_plan: { vertices: edited, overlap: 0 } } },
            ],
          }),
          'edited plan',
        ),
        { fovUm: { widthUm: fov, heightUm: fov } },
      ),
    );
    expect(reexpanded.length).toBeGreaterThan(expected.length);
    await expect
      .poll(() => page.getByTestId('nav-plan-count').textContent(), POLL)
      .toBe(`${reexpanded.length} plan positions`);
    // The stage did not move (the vertex took the drag, not the map).
    const st = (await hostState()).stage;
    expect(Math.hypot(st.xUm - before.xUm, st.yUm - before.yUm)).toBeLessThan(0.05);
  });
});
