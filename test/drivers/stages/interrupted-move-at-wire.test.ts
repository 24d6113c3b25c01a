/**
 * Interrupted moves at the wire (asi-ms2000 and prior-proscan simulators on ptys, through
 * the host API): a move ended by e-stop fails with E_ESTOP, by a stop (from another
 * caller) or a lost port with E_ABORTED naming the cause; each carries where the stage
 * stopped (null when the port is gone). Never `ok: true`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { XYPositionUm } from '../../../drivers/devices';
import { waitUntil } from '../contract/fixture';
import { stageHost, type StageHostRig } from './stage-host-rig';

let rig: StageHostRig | undefined;
afterEach(async () => {
  await rig?.host.shutdown('test end');
  rig = undefined;
});

/**
 * Starts a long move (≈ 1 mm at the simulator's 5 mm/s); resolves once it is under way
 * with the move's API answer still pending.
 */
async function longMove(r: StageHostRig) {
  const first = await r.call('stage.moveTo', { xUm: -400, yUm: -500 });
  if (!first.ok) throw new Error(JSON.stringify(first));
  const move = r.call('stage.moveTo', { xUm: 600, yUm: 300 });
  await waitUntil(
    async () => (await r.host.devices.stage!.getPositionUm()).xUm > -350,
    2_000,
    'the move to start',
  );
  return { answer: move };
}

describe.each(['asi-ms2000', 'prior-proscan'])('interrupted moves on %s', (driver) => {
  it('e-stop: E_ESTOP with the position where the stage stopped', async () => {
    rig = await stageHost(driver);
    const move = await longMove(rig);
    await rig.call('estop');
    const out = await move.answer;
    if (out.ok) throw new Error(`the interrupted move answered ok: ${JSON.stringify(out)}`);
    expect(out.error).toMatchObject({ code: 'E_ESTOP', details: { cause: 'estop' } });
    const at = out.error.details?.positionUm as XYPositionUm;
    expect(at.xUm).toBeGreaterThan(-400);
    expect(at.xUm).toBeLessThan(600);
    expect(await rig.host.devices.stage!.getPositionUm()).toEqual(at);
    expect(out.error.message).toMatch(/interrupted by the emergency stop/);
  });

  it('stop from another caller: E_ABORTED, cause stop, with the position', async () => {
    rig = await stageHost(driver);
    const move = await longMove(rig);
    await rig.host.call('stage.stop', {}, { clientId: 'other', transport: 'ws' });
    const out = await move.answer;
    if (out.ok) throw new Error(`the interrupted move answered ok: ${JSON.stringify(out)}`);
    expect(out.error).toMatchObject({ code: 'E_ABORTED', details: { cause: 'stop' } });
    expect((out.error.details?.positionUm as XYPositionUm).xUm).toBeLessThan(600);
    // Not latched: the next move runs to its target.
    expect(await rig.call('stage.moveTo', { xUm: 0, yUm: 0 })).toMatchObject({ ok: true });
  });

  it('an XY stop halts the Z drive too on these controllers: the Z move fails as well', async () => {
    rig = await stageHost(driver);
    const r = rig;
    expect(await r.call('focus.moveTo', { zUm: -40 })).toMatchObject({ ok: true });
    const move = r.call('focus.moveTo', { zUm: 60 });
    await waitUntil(
      async () => (await r.host.devices.focus!.getPositionUm()) > -35,
      2_000,
      'the Z move to start',
    );
    await r.call('stage.stop');
    const out = await move;
    if (out.ok) throw new Error(`the halted Z move answered ok: ${JSON.stringify(out)}`);
    expect(out.error).toMatchObject({ code: 'E_ABORTED', details: { cause: 'stop' } });
    expect(out.error.details?.positionUm as number).toBeLessThan(60);
  });

  it('lost port: E_ABORTED, cause disconnect, position unknown', async () => {
    rig = await stageHost(driver);
    const move = await longMove(rig);
    await rig.running().vanish();
    const out = await move.answer;
    if (out.ok) throw new Error(`the interrupted move answered ok: ${JSON.stringify(out)}`);
    expect(out.error).toMatchObject({
      code: 'E_ABORTED',
      details: { cause: 'disconnect', positionUm: null },
    });
  });
});
