/**
 * The navigator's host side (issue #17): the config's sample holder and stage travel reach
 * AppState.navigator; plan.positions lists a plan's XY visits in run order, its grids
 * expanded with this camera's field of view, and refuses a bad plan with the field.
 */
import { afterEach, expect, it } from 'vitest';
import { smallSimConfig, startTestHost, type HostFixture } from '../../support/host-fixture';

let fx: HostFixture | undefined;

afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

it('AppState.navigator carries the configured holder and stage travel, none by default', async () => {
  const travelUm = { xUm: { min: -1500, max: 1200 }, yUm: { min: -1000, max: 1100 } };
  fx = await startTestHost(
    smallSimConfig({
      sampleHolder: { kind: 'plate', format: 'sbs-384', a1Um: { xUm: -500, yUm: -400 } },
      stage: { travelUm },
    }),
  );
  expect(fx.host.store.state.navigator).toEqual({
    sampleHolder: { kind: 'plate', format: 'sbs-384', a1Um: { xUm: -500, yUm: -400 } },
    travelUm,
  });
  await fx.close();
  fx = await startTestHost(smallSimConfig());
  expect(fx.host.store.state.navigator).toEqual({
    sampleHolder: null,
    travelUm: null,
  });
});

it('plan.positions: grid tiles one field of view apart (256 px × 0.2 µm), in order', async () => {
  fx = await startTestHost(smallSimConfig());
  const r = await fx.host.call(
    'plan.positions',
    {
      plan: {
        stage_positions: [{ x: 100, y: -50, name: 'well' }],
        grid_plan: { rows: 1, columns: 3, overlap: 0 },
        channels: [{ config: 'GFP' }],
      },
    },
    { clientId: 'test', transport: 'internal' },
  );
  expect(r.ok).toBe(true);
  const v = (r as { value: { positions: { xUm: number; yUm: number }[]; fovUm: unknown } }).value;
  expect(v.fovUm).toEqual({ widthUm: 51.2, heightUm: 51.2 });
  expect(v.positions.map((p) => [p.xUm, p.yUm])).toEqual([
    [100 - 51.2, -50],
    [100, -50],
    [100 + 51.2, -50],
  ]);
  const bad = await fx.host.call(
    'plan.positions',
    { plan: { grid_plan: { rows: -1, columns: 2 } } },
    { clientId: 'test', transport: 'internal' },
  );
  expect(bad).toMatchObject({ ok: false, error: { code: 'E_INVALID' } });
  expect((bad as { error: { message: string } }).error.message).toMatch(/grid_plan/);
});

it("plan.positions: a position's polygon grid comes with its outline in stage µm", async () => {
  fx = await startTestHost(smallSimConfig());
  const vertices = [
    [0, 0],
    [150, 0],
    [150, 120],
  ];
  const r = await fx.host.call(
    'plan.positions',
    { plan: { stage_positions: [{ x: 500, y: 500, sequence: { grid_plan: { vertices } } }] } },
    { clientId: 'test', transport: 'internal' },
  );
  expect(r).toMatchObject({
    ok: true,
    value: { outlines: [{ kind: 'polygon', position: 0, verticesUm: vertices }] },
  });
});
