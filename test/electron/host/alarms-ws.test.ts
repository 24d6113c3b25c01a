/**
 * Alarms reach every client, and no client owns the safety layer: two WebSocket clients on
 * one host (simulated microscope). A reconnected stage shows E_POSITION_UNTRUSTED in both
 * mirrors; a move from either is refused; one client's confirmation clears it for both; a
 * stop from one fails the other's move.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppState } from '../../../electron/api/contract';
import { applyPatchMessage, mirrorFromHello, type Mirror } from '../../../renderer/state/mirror';
import {
  smallSimConfig,
  startTestHost,
  TestClient,
  type HostFixture,
} from '../../support/host-fixture';

let fx: HostFixture;
let alice: TestClient;
let bob: TestClient;

beforeEach(async () => {
  const config = smallSimConfig();
  const stage = config.devices.find((d) => d.id === 'stage')!;
  stage.options = { speedUmPerS: 2_000 };
  fx = await startTestHost(config);
  alice = await TestClient.connect(fx);
  bob = await TestClient.connect(fx);
});

afterEach(async () => {
  alice.close();
  bob.close();
  await fx.close();
});

/** The client's mirror, built the way the renderer builds it (hello, then every patch). */
function mirrorOf(client: TestClient): AppState {
  let m: Mirror | null = null;
  for (const msg of client.messages) {
    if (msg.type === 'hello') m = mirrorFromHello(structuredClone(msg.state), msg.rev);
    else if (msg.type === 'patch') {
      const out = applyPatchMessage(m, msg.rev, msg.patches);
      if (out.kind === 'applied') m = out.mirror;
      else throw new Error(`patch rev ${msg.rev}: ${out.kind}`);
    }
  }
  if (!m) throw new Error('no hello yet');
  return m.state;
}

const untrusted = (c: TestClient) =>
  mirrorOf(c).devices.stage?.alarms.some((a) => a.code === 'E_POSITION_UNTRUSTED') === true;

describe('alarms and the safety layer with several clients', () => {
  it('an untrusted stage shows in every client and one confirmation clears it for all', async () => {
    expect(await alice.call('device.reconnect', { deviceId: 'stage' })).toMatchObject({
      ok: true,
    }); // alice's first mutating command takes the control lease
    await alice.until(() => untrusted(alice), 3_000, 'the alarm at alice');
    await bob.until(() => untrusted(bob), 3_000, 'the alarm at bob');
    expect(await alice.call('stage.moveTo', { xUm: 10, yUm: 0 })).toMatchObject({
      ok: false,
      error: { code: 'E_POSITION_UNTRUSTED' },
    });
    expect(await alice.call('control.release')).toMatchObject({ ok: true });
    expect(await bob.call('stage.confirmPosition')).toMatchObject({ ok: true });
    await alice.until(() => !untrusted(alice), 3_000, 'the alarm to clear at alice');
    expect(await bob.call('stage.moveTo', { xUm: 10, yUm: 0 })).toMatchObject({ ok: true });
  });

  it("one client's stop fails the other client's move with E_ABORTED", async () => {
    const move = alice.call('stage.moveTo', { xUm: 900, yUm: 900 }); // ~0.6 s at 2 mm/s
    await alice.until(() => mirrorOf(alice).stage?.busy === true, 3_000, 'the move to start');
    expect(await bob.call('stage.stop')).toMatchObject({ ok: true });
    expect(await move).toMatchObject({
      ok: false,
      error: { code: 'E_ABORTED', details: { cause: 'stop' } },
    });
  });
});
