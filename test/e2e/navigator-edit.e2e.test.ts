/**
 * End-to-end: selecting and editing on the Navigate tab's map in Debian's Chromium against
 * `aquila serve` on a small simulated microscope with a still sparse-cell sample (256² frames,
 * 0.2 µm pixels, envelope ±1000 µm). One host and one browser for the file. Assertions are on
 * the host: its stage position, its ROI verdicts, and the plan it expands (plan.positions)
 * against the edited shape's own expansion. Needs the built UI (`npm run build:renderer`).
 * Screenshots go to test-results/e2e/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoiFinderView } from '../../electron/api/contract';
import { gridPolygonRing, type Pt } from '../../electron/api/shared/polygon';
import { expandSequence } from '../../electron/plans/expand';
import { parsePlan } from '../../electron/plans/load';
import { planXyPath } from '../../electron/plans/xy-path';
import { colony, STILL, truthOf } from '../support/automation-rig';
import { smallSimConfig } from '../support/host-fixture';
import { repoRoot, type ServeProcess, serveState } from '../support/serve-process';
import { closeUiSession, moveStageTo, openUiSession, type UiSession } from '../support/ui-session';

const artefacts = path.join(repoRoot, 'test-results/e2e');
mkdirSync(artefacts, { recursive: true });

const config = smallSimConfig({ sim: STILL });
const UM_PER_PX = 0.2;
const FOV_UM = 256 * UM_PER_PX;
/** expect.poll's default (1 s) is too short on a loaded machine. */
const POLL = { timeout: 10_000 };

let ui: UiSession;
let serve: ServeProcess;
let page: Page;

beforeAll(async () => {
  ui = await openUiSession(config, { viewport: { width: 1400, height: 1000 } });
  ({ serve, page } = ui);
  await page.getByTestId('tab-navigate').click();
  await page.waitForFunction(() => (window.__aquilaNavigator?.renders ?? 0) > 0);
}, 60_000);

afterAll(() => closeUiSession(ui));

const hostState = () => serveState(serve);

const moveTo = (xUm: number, yUm: number) => moveStageTo(ui, xUm, yUm);

const stageDistance = async (x: number, y: number) => {
  const s = (await hostState()).stage;
  return Math.hypot(s.xUm - x, s.yUm - y);
};

/** The screen centre of an SVG mark on the map. */
async function centreOf(l: Locator) {
  const b = (await l.boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** A picture of the Navigate panel in the e2e artefacts. */
const shot = (name: string) =>
  page.getByTestId('navigator').screenshot({ path: path.join(artefacts, name) });

/** A loaded plan: one position whose grid is the polygon `ring`. */
const polygonPlan = (ring: Pt[], offset?: number) =>
  JSON.stringify({
    channels: [{ config: 'GFP' }],
    stage_positions: [
      { x: 0, y: 0, name: 'poly', sequence: { grid_plan: { vertices: ring, offset } } },
    ],
  });

/** Tile centres of the plan's own expansion, in visiting order. */
const expansion = (ring: Pt[], offset?: number) =>
  planXyPath(
    expandSequence(parsePlan(polygonPlan(ring, offset), 'polygon plan'), {
      fovUm: { widthUm: FOV_UM, heightUm: FOV_UM },
    }),
  ).map((q) => [q.xUm, q.yUm]);

/** The plan markers drawn (from the host's plan.positions), in order. */
const drawnTiles = () =>
  page.evaluate(() =>
    [...document.querySelectorAll('g.nav-plan-pos')].map((g) => [
      Number(g.getAttribute('data-x-um')),
      Number(g.getAttribute('data-y-um')),
    ]),
  );

/** Vertices of outline 0 as drawn (from the host's plan.positions outlines). */
const drawnRing = () =>
  page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="nav-outline-0"] .nav-outline-vertex')]
      .filter((c) => c.hasAttribute('data-x-um'))
      .map((c) => [Number(c.getAttribute('data-x-um')), Number(c.getAttribute('data-y-um'))]),
  );

/** Presses on `l`'s centre, moves by (dx, dy) px in steps, runs `during`, releases. */
async function dragBy(l: Locator, dx: number, dy: number, during?: () => Promise<void>) {
  const from = await centreOf(l);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + dx / 2, from.y + dy / 2, { steps: 3 });
  await page.mouse.move(from.x + dx, from.y + dy, { steps: 3 });
  await during?.();
  await page.mouse.up();
}

describe('Navigate tab: selecting and editing on the map', { timeout: 90_000 }, () => {
  it('a clicked ROI is selected with its numbers; Go to, double-click and verdicts act on it', async () => {
    const { c } = colony(truthOf(config));
    await moveTo(c.xUm, c.yUm);
    await page.getByTestId('channel-GFP').click();
    await page.getByTestId('tab-automate').click();
    await page.getByTestId('roi-find').click();
    await page.getByTestId('roi-list').waitFor({ timeout: 15_000 });
    await page.getByTestId('tab-navigate').click();
    const found = (await hostState()).roiFinder as RoiFinderView;
    expect(found.rois.length).toBeGreaterThanOrEqual(2);
    expect(found.umPerPx).toBeCloseTo(UM_PER_PX, 9);
    await page.evaluate(
      (p) => window.__aquilaNavigator!.setView({ centerXUm: p.x, centerYUm: p.y, umPerPx: 0.1 }),
      { x: c.xUm, y: c.yUm },
    );
    await page.getByTestId('nav-found-roi-1').waitFor();
    expect(await page.getByTestId('nav-roi-card').count()).toBe(0);

    // A click selects: the card shows the host's numbers; the stage stays where it was.
    await page.getByTestId('nav-found-roi-0').click();
    const card = page.getByTestId('nav-roi-card');
    await card.waitFor();
    const r0 = found.rois[0]!;
    expect(await page.getByTestId('nav-roi-card-title').textContent()).toBe('Found ROI 1');
    expect(await page.getByTestId('nav-roi-card-x').textContent()).toBe(r0.xUm.toFixed(1));
    expect(await page.getByTestId('nav-roi-card-y').textContent()).toBe(r0.yUm.toFixed(1));
    // No orientation in the config: the box is the pixel box at 0.2 µm per pixel.
    expect(await page.getByTestId('nav-roi-card-size').textContent()).toBe(
      `${(r0.bbox.widthPx * UM_PER_PX).toFixed(1)} × ${(r0.bbox.heightPx * UM_PER_PX).toFixed(1)} µm ` +
        `(${r0.bbox.widthPx} × ${r0.bbox.heightPx} px)`,
    );
    expect(await page.getByTestId('nav-roi-card-area').textContent()).toBe(
      `${Math.round(r0.areaPx)} px`,
    );
    expect(await page.getByTestId('nav-roi-card-status').textContent()).toBe('pending');
    expect(await page.getByTestId('nav-found-roi-0').getAttribute('class')).toContain('selected');
    // The drawn box encloses the ROI's mark and is the pixel box in µm.
    const box = (await page.getByTestId('nav-roi-box').boundingBox())!;
    const mark = await centreOf(page.getByTestId('nav-found-roi-0'));
    expect(mark.x).toBeGreaterThan(box.x);
    expect(mark.x).toBeLessThan(box.x + box.width);
    const drawn = page.getByTestId('nav-roi-box');
    expect(Number(await drawn.getAttribute('width'))).toBeCloseTo(r0.bbox.widthPx * UM_PER_PX, 6);
    expect(Number(await drawn.getAttribute('height'))).toBeCloseTo(r0.bbox.heightPx * UM_PER_PX, 6);
    expect(await stageDistance(c.xUm, c.yUm)).toBeLessThan(0.05);
    await shot('navigator-roi.png');

    // Accept goes to the host (rois.setVerdict); Add to plan puts it in the Acquire form.
    await page.getByTestId('nav-roi-accept').click();
    await expect.poll(async () => (await hostState()).roiFinder.verdicts[0], POLL).toBe('accepted');
    await expect
      .poll(() => page.getByTestId('nav-roi-card-status').textContent(), POLL)
      .toBe('accepted');
    await page.getByTestId('nav-roi-to-plan').click();
    await page.getByTestId('nav-roi-sent').waitFor();
    await page.getByTestId('tab-acquire').click();
    expect(await page.getByTestId('acq-position-0').textContent()).toContain(
      `roi1: ${r0.xUm.toFixed(1)}, ${r0.yUm.toFixed(1)}`,
    );
    await page.getByTestId('tab-navigate').click();

    // Keys on the focused map: Esc unselects, → steps to the next ROI.
    await page.getByTestId('nav-map').focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => card.count(), POLL).toBe(0);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(() => page.getByTestId('nav-roi-card-title').textContent(), POLL)
      .toBe('Found ROI 2');
    const r1 = found.rois[1]!;
    await page.getByTestId('nav-roi-reject').click();
    await expect.poll(async () => (await hostState()).roiFinder.verdicts[1], POLL).toBe('rejected');
    expect(await page.getByTestId('nav-roi-to-plan').isDisabled()).toBe(true);

    // Go to moves the host's stage to the ROI's centre.
    await page.getByTestId('nav-roi-goto').click();
    await expect.poll(() => stageDistance(r1.xUm, r1.yUm), POLL).toBeLessThan(0.05);

    // A double-click on an ROI goes to its centre (not to the point under the cursor).
    const at = await centreOf(page.getByTestId('nav-found-roi-0'));
    await page.mouse.dblclick(at.x + 2, at.y + 2);
    await expect.poll(() => stageDistance(r0.xUm, r0.yUm), POLL).toBeLessThan(0.01);
    expect(await page.getByTestId('nav-goto-error').count()).toBe(0);
    // A click on the map itself unselects; it does not move the stage.
    expect(await card.count()).toBe(1);
    const map = (await page.getByTestId('nav-canvas').boundingBox())!;
    await page.mouse.click(map.x + 5, map.y + 5);
    await expect.poll(() => card.count(), POLL).toBe(0);
    expect(await stageDistance(r0.xUm, r0.yUm)).toBeLessThan(0.01);
  });

  it("a loaded plan's polygon: a vertex inserted, one deleted, the whole moved; a crossing drag refused", async () => {
    let ring: Pt[] = [
      [-80, -80],
      [80, -80],
      [80, 80],
      [-80, 80],
    ];
    const before = (await hostState()).stage;
    await page.getByTestId('tab-acquire').click();
    await page.getByTestId('acq-plan-load').setInputFiles({
      name: 'polygon.json',
      mimeType: 'application/json',
      buffer: Buffer.from(polygonPlan(ring)),
    });
    await page.getByTestId('tab-navigate').click();
    await page.evaluate(() =>
      window.__aquilaNavigator!.setView({ centerXUm: 0, centerYUm: 0, umPerPx: 1 }),
    );
    const settled = async (expected: Pt[], offset?: number) => {
      await expect.poll(drawnRing, POLL).toEqual(expected);
      await expect.poll(drawnTiles, POLL).toEqual(expansion(expected, offset));
    };
    await settled(ring);

    // Dragging the right edge's midpoint handle 40 px right inserts a vertex there.
    await dragBy(page.getByTestId('nav-outline-0-e1'), 40, 0);
    ring = [ring[0]!, ring[1]!, [120, 0], ring[2]!, ring[3]!];
    await settled(ring);

    // Dragging the new vertex across the square is refused while dragging, with the reason.
    await dragBy(page.getByTestId('nav-outline-0-v2'), -240, 0, async () => {
      const refusal = page.getByTestId('nav-outline-refusal');
      await refusal.waitFor(POLL);
      expect(await refusal.textContent()).toMatch(/edges would cross/);
      await shot('navigator-polygon-refused.png');
    });
    expect(await page.getByTestId('nav-outline-refusal').count()).toBe(0);
    await settled(ring);

    // A click selects vertex 0; Delete removes it.
    await page.getByTestId('nav-outline-0-v0').click();
    expect(await page.getByTestId('nav-outline-0-v0').getAttribute('class')).toContain('selected');
    await page.keyboard.press('Delete');
    ring = ring.slice(1);
    await settled(ring);

    // The centre handle moves the whole polygon.
    await dragBy(page.getByTestId('nav-outline-0-move'), 30, 20);
    ring = ring.map(([x, y]): Pt => [x + 30, y + 20]);
    await settled(ring);
    await shot('navigator-polygon-edited.png');

    // With an offset the handles are the plan's own vertices (a dashed ring inside the
    // outline); dragging one edits that vertex, the outline and tiles follow the offset ring.
    await page.getByTestId('tab-acquire').click();
    await page.getByTestId('acq-plan-load').setInputFiles({
      name: 'offset.json',
      mimeType: 'application/json',
      buffer: Buffer.from(polygonPlan(ring, 20)),
    });
    await page.getByTestId('tab-navigate').click();
    await settled(ring, 20);
    await page.getByTestId('nav-outline-0-own').waitFor(POLL);
    await dragBy(page.getByTestId('nav-outline-0-v0'), -30, 0);
    ring = [[ring[0]![0] - 30, ring[0]![1]], ...ring.slice(1)];
    await settled(ring, 20);
    const outline = await page
      .locator('[data-testid="nav-outline-0"] > polygon:not(.nav-outline-own)')
      .getAttribute('points');
    const pts = outline!.split(' ').map((p) => p.split(',').map(Number));
    const want = gridPolygonRing(ring, 20, false);
    expect(pts).toHaveLength(want.length);
    pts.forEach((p, k) => {
      expect(p[0]).toBeCloseTo(want[k]![0], 6);
      expect(p[1]).toBeCloseTo(want[k]![1], 6);
    });
    // The map's own pan and double-click never fired: the stage did not move.
    expect(await stageDistance(before.xUm, before.yUm)).toBeLessThan(0.05);
  });

  it('a plan marker Shift-dragged onto another takes its place in the visiting order', async () => {
    await page.getByTestId('tab-acquire').click();
    await page.getByTestId('acq-plan-load').setInputFiles({
      name: 'three.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        JSON.stringify({
          channels: [{ config: 'GFP' }],
          stage_positions: [
            { x: -100, y: 0, name: 'p1' },
            { x: 0, y: 60, name: 'p2' },
            { x: 100, y: 0, name: 'p3' },
          ],
        }),
      ),
    });
    await page.getByTestId('tab-navigate').click();
    await page.evaluate(() =>
      window.__aquilaNavigator!.setView({ centerXUm: 0, centerYUm: 0, umPerPx: 1 }),
    );
    await expect.poll(drawnTiles, POLL).toEqual([
      [-100, 0],
      [0, 60],
      [100, 0],
    ]);
    const from = await centreOf(page.getByTestId('nav-plan-2').locator('circle'));
    const onto = await centreOf(page.getByTestId('nav-plan-0').locator('circle'));
    await page.keyboard.down('Shift');
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + onto.x) / 2, onto.y + 20, { steps: 3 });
    await page.mouse.move(onto.x + 3, onto.y - 2, { steps: 3 });
    expect(await page.getByTestId('nav-plan-0').getAttribute('class')).toContain('drop-target');
    await page.mouse.up();
    await page.keyboard.up('Shift');
    // p3 is visited first now, where it was; the host's expansion follows the form.
    await expect.poll(drawnTiles, POLL).toEqual([
      [100, 0],
      [-100, 0],
      [0, 60],
    ]);
    await page.getByTestId('tab-acquire').click();
    expect(await page.getByTestId('acq-position-0').textContent()).toContain('p3: 100.0, 0.0');
    expect(await page.getByTestId('acq-position-1').textContent()).toContain('p1: -100.0, 0.0');
    await page.getByTestId('tab-navigate').click();
  });
});
