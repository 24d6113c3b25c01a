/**
 * A simulated microscope for automation tests through the host: a still, sparse-cell sample
 * (no tilt, no drift), the small FLImP plan fixture, its ground truth (a second world built
 * from the same seeded config; the host's own world is not exposed) and a colony to scan.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SimWorld } from '../../drivers/sim/world';
import { parseConfig } from '../../electron/config/load';
import type { AquilaConfig } from '../../electron/config/schema';
import { afterEach } from 'vitest';
import { smallSimConfig, startTestHost, type HostFixture } from './host-fixture';
import { tempDir } from './temp-dir';

export const CTX = { clientId: 'test', transport: 'internal' } as const;

export const STILL = {
  seed: 11,
  cellCount: 60,
  slideHalfWidthUm: 400,
  sample: 'sparse-cells',
  coverslip: { tiltXUmPerMm: 0, tiltYUmPerMm: 0, curvatureUmPerMm2: 0, offsetUm: 0 },
  drift: { zUmPerMin: 0, zStepProbPerMin: 0, zStepUm: 0, xyUmPerMin: 0 },
};

export const basePlan = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '../fixtures/plans/flimp-small.json'), 'utf8'),
);

/** The ground truth of the world `config` describes. */
export function truthOf(config: AquilaConfig | Record<string, unknown>): SimWorld['truth'] {
  return new SimWorld(parseConfig(JSON.stringify(config), 'truth').sim).truth;
}

/** A cell with at least two neighbours within 60 µm: a colony to scan around. */
export function colony(truth: SimWorld['truth']) {
  const all = truth.cellsIn({ xUm: -400, yUm: -400, widthUm: 800, heightUm: 800 });
  const c = all.find(
    (a) => all.filter((b) => Math.hypot(a.xUm - b.xUm, a.yUm - b.yUm) < 60).length >= 3,
  );
  if (!c) throw new Error('no colony in the simulated sample');
  return { c, all };
}

const hosts: HostFixture[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
});

/**
 * An in-process host on the still sample, closed after the test; with its ground truth.
 * `over`: config keys over the small simulated config (e.g. `stageOrientation`).
 */
export async function startAutomationHost(over: Record<string, unknown> = {}) {
  const root = tempDir('aquila-auto-');
  const config = smallSimConfig({ storage: { datasetsRoot: root }, sim: STILL, ...over });
  const fx = await startTestHost(config);
  hosts.push(fx);
  return { root, h: fx.host, truth: truthOf(config) };
}
