/**
 * End-to-end: the Navigate tab's 3D view in Debian's Chromium against `aquila serve` on a
 * small simulated microscope. What is checked is what the GPU drew (read back from the
 * canvas), against positions computed here from the stack and the view:
 * - a saved z-stack (a real run's dataset, one plane rewritten with a bright block) loaded
 *   through dataset.readPlane: the block appears where its voxels project in the top and the
 *   front view (so at its X, Y and Z);
 * - an OME-TIFF z-stack of two channels: its box in µm from the dataset's calibration, and
 *   the channel selector loads the other channel;
 * - an automation run with software tile focus: the focus map's points are drawn where their
 *   stage X, Y and focus Z project in a tilted view, the surface between them.
 * Needs the built UI (`npm run build:renderer`). Screenshots go to test-results/e2e/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProvenance } from '../../electron/storage/dataset-files';
import { imageFileName } from '../../electron/storage/layout';
import { chunkKey } from '../../electron/storage/zarr-meta';
import { smallSimConfig } from '../support/host-fixture';
import { repoRoot, type ServeProcess, serveState } from '../support/serve-process';
import { closeUiSession, openUiSession, type UiSession } from '../support/ui-session';

const artefacts = path.join(repoRoot, 'test-results/e2e');
mkdirSync(artefacts, { recursive: true });

const POLL = { timeout: 20_000 };
const N = 64; // VOLUME_XY: voxels per side
const PX = 256; // the simulated camera's frame side

let ui: UiSession;
let serve: ServeProcess;
let page: Page;
let datasets: string;

beforeAll(async () => {
  ui = await openUiSession(
    smallSimConfig({
      channels: [
        { name: 'GFP', laserId: 'laser488', powerMw: 20, exposureMs: 10 },
        { name: 'Cy5', laserId: 'laser640', powerMw: 20, exposureMs: 10 },
      ],
    }),
    { viewport: { width: 1400, height: 1400 } },
  );
  ({ serve, page, datasets } = ui);
  await page.getByTestId('tab-navigate').click();
  await page.waitForFunction(() => window.__aquilaVolume !== undefined);
}, 60_000);

afterAll(() => closeUiSession(ui));

const hostState = () => serveState(serve);

async function command(name: string, args: unknown) {
  const res = await fetch(new URL(`/api/commands/${name}`, serve.baseUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

/** Runs a plan from this HTTP client, then releases the control lease (releaseControl). */
async function runThenRelease(args: Record<string, unknown>) {
  await command('run.start', args);
  await expect.poll(async () => (await hostState()).run?.state, POLL).toBe('finished');
  await releaseControl();
}

/**
 * Releases the lease a command from this HTTP client took: the page's controls are disabled
 * while another client is in control, and a click on them waits until they are not.
 */
async function releaseControl() {
  await command('control.release', {});
  await page.waitForSelector('[data-testid="control-gate"]:not([disabled])', POLL);
}

type Angles = { azimuthDeg: number; elevationDeg: number };

/** Screen offset (CSS px, x right, y down) of a world point from the canvas centre. */
function project(a: Angles, p: [number, number, number], pxPerUnit: number) {
  const az = (a.azimuthDeg * Math.PI) / 180;
  const el = (a.elevationDeg * Math.PI) / 180;
  const toward = [Math.cos(el) * Math.sin(az), -Math.cos(el) * Math.cos(az), Math.sin(el)];
  const up = [-Math.sin(el) * Math.sin(az), Math.sin(el) * Math.cos(az), Math.cos(el)];
  const right = [
    up[1]! * toward[2]! - up[2]! * toward[1]!,
    up[2]! * toward[0]! - up[0]! * toward[2]!,
    up[0]! * toward[1]! - up[1]! * toward[0]!,
  ];
  const dot = (u: number[]) => u[0]! * p[0] + u[1]! * p[1] + u[2]! * p[2];
  return { dx: dot(right) * pxPerUnit, dy: -dot(up) * pxPerUnit };
}

async function viewAt(a: Angles) {
  return page.evaluate((angles) => {
    const v = window.__aquilaVolume!;
    v.setAngles(angles);
    return { rect: v.rect(), dims: v.dims, pxPerUnit: v.pxPerUnit, zScale: v.zScale };
  }, a);
}

describe('Navigate tab 3D view in Chromium', { timeout: 120_000 }, () => {
  it('a saved z-stack loaded through dataset.readPlane: a bright block shows at its X, Y and Z', async () => {
    await runThenRelease({
      name: 'vol-e2e',
      plan: { channels: [{ config: 'GFP' }], z_plan: { range: 3, step: 1 } },
    });
    // Rewrite the 4 planes: flat 100, and on plane 0 (lowest z) a block of 60000 at
    // columns 160..191, rows 64..95 (voxels 40..47, 16..23).
    const dir = path.join(datasets, 'vol-e2e');
    const layout = readProvenance(dir).layout;
    expect(layout.sizes.z).toBe(4);
    for (let z = 0; z < 4; z++) {
      const px = new Uint16Array(PX * PX).fill(100);
      if (z === 0) {
        for (let r = 64; r < 96; r++) for (let c = 160; c < 192; c++) px[r * PX + c] = 60_000;
      }
      const file = path.join(dir, imageFileName(layout), chunkKey(layout, { p: 0, t: 0, c: 0, z }));
      writeFileSync(file, Buffer.from(px.buffer));
    }
    await page.getByTestId('nav-volume-dataset').fill('vol-e2e');
    await page.getByTestId('nav-volume-load').click();
    await expect
      .poll(() => page.evaluate(() => window.__aquilaVolume!.source), POLL)
      .toMatch(/^vol-e2e \(GFP, 4 planes\)/);
    expect(await page.evaluate(() => window.__aquilaVolume!.depth)).toBe(4);

    // The block's centre in world units: voxel 44 of 64 along X, 20 along Y (world −y),
    // plane 0 of 4 in z.
    const block = (dims: { x: number; y: number; z: number }): [number, number, number] => [
      (44 / N - 0.5) * dims.x,
      -(20 / N - 0.5) * dims.y,
      (0.5 / 4 - 0.5) * dims.z,
    ];
    for (const a of [
      { azimuthDeg: 0, elevationDeg: 90 },
      { azimuthDeg: 0, elevationDeg: 0 },
      { azimuthDeg: 40, elevationDeg: 30 },
    ]) {
      const v = await viewAt(a);
      const spot = await page.evaluate(() => window.__aquilaVolume!.brightSpot(0.9));
      expect(spot).not.toBeNull();
      const { dx, dy } = project(a, block(v.dims), v.pxPerUnit);
      const cx = v.rect.left + v.rect.width / 2;
      const cy = v.rect.top + v.rect.height / 2;
      const tol = Math.max(2, v.pxPerUnit / N); // one voxel
      expect(Math.abs(spot!.x - (cx + dx)), `x in view ${JSON.stringify(a)}`).toBeLessThan(tol);
      expect(Math.abs(spot!.y - (cy + dy)), `y in view ${JSON.stringify(a)}`).toBeLessThan(tol);
      // Not the box's middle: the block is off centre in each of these views.
      expect(Math.hypot(dx, dy)).toBeGreaterThan(4 * tol);
      await page.getByTestId('nav-volume').screenshot({
        path: path.join(artefacts, `navigator-volume-${a.azimuthDeg}-${a.elevationDeg}.png`),
      });
    }
  });

  it('an OME-TIFF z-stack opens calibrated in µm; the channel selector shows the other channel', async () => {
    await runThenRelease({
      name: 'tiff-stack',
      format: 'ome-tiff',
      plan: { channels: [{ config: 'GFP' }, { config: 'Cy5' }], z_plan: { range: 4, step: 2 } },
    });
    await page.getByTestId('nav-volume-dataset').fill('tiff-stack');
    await page.getByTestId('nav-volume-load').click();
    await expect
      .poll(() => page.evaluate(() => window.__aquilaVolume!.source), POLL)
      .toBe('tiff-stack (GFP, 3 planes)');
    // 256 px of 0.2 µm (the config's camera) by 3 planes 2 µm apart, each a 2 µm slab.
    const box = await page.evaluate(() => window.__aquilaVolume!.extentUm);
    expect(box!.x).toBeCloseTo(51.2, 6);
    expect(box!.y).toBeCloseTo(51.2, 6);
    expect(box!.z).toBeCloseTo(6, 6);
    const v = await viewAt({ azimuthDeg: 0, elevationDeg: 0 });
    expect(v.dims.z / v.zScale / v.dims.x).toBeCloseTo(6 / 51.2, 6);
    expect(await page.getByTestId('nav-volume-caption').textContent()).toContain(
      'tiff-stack (GFP, 3 planes): 51.2 × 51.2 × 6 µm',
    );
    await page.getByTestId('nav-volume-c').selectOption({ label: 'Cy5' });
    await expect
      .poll(() => page.evaluate(() => window.__aquilaVolume!.source), POLL)
      .toBe('tiff-stack (Cy5, 3 planes)');
  });

  it('an automation run with tile autofocus: its focus map is drawn as a surface at the points', async () => {
    const s = await hostState();
    await command('automation.start', {
      plan: {
        kind: 'flimp',
        name: 'focus-map-e2e',
        scan: { centreUm: { xUm: s.stage.xUm, yUm: s.stage.yUm }, columns: 2, rows: 2, overlap: 0 },
        tileIllumination: { laserId: 'laser488', powerMw: 20, exposureMs: 10 },
        tileFocus: { mode: 'software', rangeUm: 6, toleranceUm: 0.5 },
        rois: { threshold: { value: 65_000 } },
        maxRois: 1,
        roi: {
          programme: [{ laserId: 'laser488', powerMw: 20, exposureMs: 10 }],
          maxFrames: 2,
        },
      },
    });
    await expect
      .poll(async () => (await hostState()).automation?.phase, { timeout: 90_000 })
      .toBe('finished');
    await releaseControl();
    const points: { xUm: number; yUm: number; zUm: number }[] = (await hostState()).automation
      .focusMap;
    expect(points).toHaveLength(4);
    await expect.poll(() => page.evaluate(() => window.__aquilaVolume!.focusPoints), POLL).toBe(4);
    await page.getByTestId('nav-volume-focus').click();
    await expect.poll(() => page.evaluate(() => window.__aquilaVolume!.mode)).toBe('focus-map');

    // World position of each point, as docs/navigator.md defines the focus map's box.
    const span = (k: 'xUm' | 'yUm' | 'zUm') =>
      Math.max(...points.map((p) => p[k])) - Math.min(...points.map((p) => p[k]));
    const mid = (k: 'xUm' | 'yUm' | 'zUm') =>
      (Math.max(...points.map((p) => p[k])) + Math.min(...points.map((p) => p[k]))) / 2;
    const scale = 1 / Math.max(span('xUm'), span('yUm'), 1);
    const zScale = span('zUm') > 0 ? 0.25 / (span('zUm') * scale) : 1;
    const a = { azimuthDeg: 30, elevationDeg: 35 };
    const v = await viewAt(a);
    expect(v.zScale).toBeCloseTo(zScale, 6);
    const cx = v.rect.left + v.rect.width / 2;
    const cy = v.rect.top + v.rect.height / 2;
    const at = (p: { xUm: number; yUm: number; zUm: number }) => {
      const { dx, dy } = project(
        a,
        [
          (p.xUm - mid('xUm')) * scale,
          -(p.yUm - mid('yUm')) * scale,
          (p.zUm - mid('zUm')) * scale * zScale,
        ],
        v.pxPerUnit,
      );
      return { x: cx + dx, y: cy + dy };
    };
    const rgbAt = (q: { x: number; y: number }) =>
      page.evaluate(([x, y]) => window.__aquilaVolume!.rgbAt(x!, y!), [q.x, q.y]);
    for (const p of points) {
      const rgb = await rgbAt(at(p));
      expect(rgb, `point ${JSON.stringify(p)}`).toEqual([255, 255, 255]);
    }
    // Between the points: the surface (coloured by height), neither a point nor background.
    const centre = await rgbAt(
      at({ xUm: mid('xUm'), yUm: mid('yUm'), zUm: points.reduce((t, p) => t + p.zUm, 0) / 4 }),
    );
    expect(centre).not.toEqual([255, 255, 255]);
    expect(centre).not.toEqual([15, 18, 20]); // BACKGROUND_RGB
    expect(centre![2]! + centre![0]!).toBeGreaterThan(100);
    await page
      .getByTestId('nav-volume')
      .screenshot({ path: path.join(artefacts, 'navigator-focus-map.png') });
  });

  it('every frame of a fast run is placed, also those the display channel skipped', async () => {
    await page.evaluate(() => window.__aquilaNavigator!.setView({ umPerPx: 4 }));
    // 9 fields 300 µm apart, one frame each: far quicker than the display's one per 100 ms.
    const positions = Array.from({ length: 9 }, (_, i) => ({
      x: -600 + (i % 3) * 300,
      y: 400 + Math.floor(i / 3) * 300,
    }));
    const before = await page.evaluate(() => window.__aquilaNavigator!.feedPlaced);
    await command('run.start', {
      name: 'feed-e2e',
      plan: { channels: [{ config: 'GFP' }], stage_positions: positions },
    });
    await expect.poll(async () => (await hostState()).run?.state, POLL).toBe('finished');
    await expect
      .poll(
        () =>
          page.evaluate(
            (ps) =>
              ps.filter((p) => window.__aquilaNavigator!.sample(null, p.x, p.y) !== null).length,
            positions,
          ),
        POLL,
      )
      .toBe(9);
    // Some came only through the feed (the run showed at most one frame per 100 ms).
    expect(await page.evaluate(() => window.__aquilaNavigator!.feedPlaced)).toBeGreaterThan(before);
  });
});
