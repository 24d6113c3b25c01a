import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../../electron/config/load';
import { createHost } from '../../../electron/host/host';
import { silentLogger } from '../../../electron/host/logger';
import { SimWorld } from '../../../drivers/sim/world';
import { smallSimConfig } from '../../support/host-fixture';

const AUTOMATION_CONFIG = path.resolve(
  import.meta.dirname,
  '../../../assets/configs/simulated-automation.json',
);

const withSim = (sim: Record<string, unknown>) => JSON.stringify(smallSimConfig({ sim }));

describe('config: simulated sample, coverslip, drift and focus sensor', () => {
  it('keeps the original sample and surface when the options are absent', () => {
    const cfg = parseConfig(withSim({ seed: 3, cellCount: 10, slideHalfWidthUm: 100 }), 'c.json');
    expect(cfg.sim.sample).toBe('cells');
    expect(cfg.sim.coverslip).toBeUndefined();
    expect(cfg.sim.drift).toBeUndefined();
  });

  it('feeds coverslip and drift options to the simulated world', () => {
    const cfg = parseConfig(
      withSim({
        seed: 3,
        cellCount: 10,
        slideHalfWidthUm: 100,
        sample: 'beads',
        coverslip: { tiltXUmPerMm: 4, offsetUm: -7 },
        drift: { xyUmPerMin: 1 },
      }),
      'c.json',
    );
    let now = 0;
    const world = new SimWorld({ ...cfg.sim, clock: () => now });
    expect(world.truth.focusZUm(1_000, 0)).toBeCloseTo(-3, 9);
    now = 60_000;
    const d = world.truth.xyDriftUm();
    expect(Math.hypot(d.xUm, d.yUm)).toBeCloseTo(1, 9);
  });

  it('names bad sim options by path', () => {
    const bad = withSim({
      sample: 'fog',
      drift: { zStepProbPerMin: 2 },
      coverslip: { holes: [{ xUm: 0, yUm: 0, radiusUm: -1 }] },
    });
    expect(() => parseConfig(bad, 'c.json')).toThrow(/sim\.sample: .*sparse-cells/);
    expect(() => parseConfig(bad, 'c.json')).toThrow(/sim\.drift\.zStepProbPerMin/);
    expect(() => parseConfig(bad, 'c.json')).toThrow(/sim\.coverslip\.holes\[0\]\.radiusUm/);
  });

  it('allows at most one focus sensor', () => {
    const base = smallSimConfig();
    const pfs = { id: 'pfs', kind: 'focus-sensor', driver: 'sim' };
    const two = { ...base, devices: [...base.devices, pfs, { ...pfs, id: 'pfs2' }] };
    expect(() => parseConfig(JSON.stringify(two), 'c.json')).toThrow(
      /at most one focus-sensor is supported, found 2/,
    );
  });

  it('the shipped automation config connects its focus sensor in the host', async () => {
    const loaded = await loadConfig(AUTOMATION_CONFIG);
    expect(loaded.config.sim.sample).toBe('sparse-cells');
    const host = await createHost(loaded, { log: silentLogger });
    try {
      expect(host.store.state.devices.pfs?.connection).toBe('connected');
      expect(host.store.state.devices.pfs?.kind).toBe('focus-sensor');
      const sensor = host.devices.focusSensor;
      if (!sensor) throw new Error('no focus sensor exposed');
      // In focus at the start (z = 0 on a coverslip at offset 0): the spot is on the sensor.
      expect((await sensor.read()).positionPx).not.toBeNull();
    } finally {
      await host.shutdown('test');
    }
  });
});
