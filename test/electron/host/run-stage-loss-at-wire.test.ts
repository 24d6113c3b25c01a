/**
 * A stage controller lost mid-run (ASI MS-2000 and Cobolt simulators on ptys, simulated
 * camera, through the API): the run pauses on the event it could not do, with the laser
 * off at the wire; once the port is back the position must be confirmed (resuming before
 * that pauses again); then the run completes with no event skipped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CoboltLaser } from '../../../drivers/lasers/cobolt/cobolt-laser';
import type { CoboltSim } from '../../../drivers/lasers/cobolt/cobolt-sim';
import { waitUntil } from '../../drivers/contract/fixture';
import { stageHost, type StageHostRig } from '../../drivers/stages/stage-host-rig';

let rig: StageHostRig | undefined;
afterEach(async () => {
  await rig?.host.shutdown('test end');
  rig = undefined;
});

const positions = Array.from({ length: 12 }, (_, i) => ({ x: i * 40 - 200, y: 0, z: 0 }));

describe('a stage controller lost mid-run', () => {
  it('pauses the run with lasers off and resumes it after the position is confirmed', async () => {
    rig = await stageHost(
      'asi-ms2000',
      [
        { id: 'cobolt', kind: 'laser', driver: 'cobolt', options: { port: 'sim:cobolt' } },
        {
          id: 'camera',
          kind: 'camera',
          driver: 'sim',
          options: { widthPx: 32, heightPx: 32, pixelSizeUm: 0.2 },
        },
      ],
      { channels: [{ name: 'GFP', laserId: 'cobolt', powerMw: 5, exposureMs: 2 }] },
    );
    const r = rig;
    const laserSim = (r.host.devices.lasers.get('cobolt') as CoboltLaser).link.simulator!
      .sim as CoboltSim;
    const run = () => r.host.store.state.run!;
    const started = await r.call('run.start', {
      plan: { stage_positions: positions, channels: [{ config: 'GFP', exposure: 2 }] },
      name: 'stage-loss',
    });
    expect(started).toMatchObject({ ok: true });
    await waitUntil(() => run().framesWritten >= 3, 10_000, 'some frames');

    await r.running().vanish();
    await waitUntil(() => run().state === 'paused', 5_000, 'the run to pause');
    expect(laserSim.line.emission).toBe(false);
    const lost = run().framesWritten;
    expect(run().errors.at(-1)?.message).toMatch(/port vanished|controller was lost|not connected/);

    await r.running().restore();
    const alarms = () => r.host.store.state.devices.stage!.alarms.map((a) => a.code);
    await waitUntil(() => alarms().includes('E_POSITION_UNTRUSTED'), 5_000, 'the reconnect');
    // Resuming without confirming: paused again on the same event, nothing skipped.
    expect(await r.call('run.resume')).toMatchObject({ ok: true });
    await waitUntil(
      () =>
        run().state === 'paused' && run().errors.at(-1)?.message.includes('not trusted') === true,
      5_000,
      'the second pause',
    );
    expect(run().framesWritten).toBe(lost);
    expect(laserSim.line.emission).toBe(false);

    expect(await r.call('stage.confirmPosition')).toMatchObject({ ok: true });
    expect(await r.call('focus.confirmPosition')).toMatchObject({ ok: true });
    expect(await r.call('run.resume')).toMatchObject({ ok: true });
    await r.host.acquisition.whenIdle();
    expect(run()).toMatchObject({ state: 'finished', framesWritten: positions.length });
    expect(laserSim.line.emission).toBe(false);
  }, 40_000);
});
