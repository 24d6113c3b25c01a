/**
 * A live view nobody watches stops (liveIdleStopS) with the light off, and says why; while
 * one WebSocket client remains, live goes on. In-process host, real WebSocket clients.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SimCamera } from '../../../drivers/sim/camera';
import {
  smallSimConfig,
  startTestHost,
  TestClient,
  type HostFixture,
} from '../../support/host-fixture';
import { until } from '../../support/wait';

let fx: HostFixture;
const IDLE_S = 0.3;

beforeEach(async () => {
  fx = await startTestHost(smallSimConfig({ liveIdleStopS: IDLE_S }));
});

afterEach(async () => {
  await fx.close();
});

const camera = () => fx.host.devices.camera as SimCamera;
const anyEmitting = () => [...camera().world.lasers.values()].some((l) => l.emission);

it('closing the last client stops live after liveIdleStopS, light off, reason in state', async () => {
  const a = await TestClient.connect(fx);
  const b = await TestClient.connect(fx);
  await a.call('channel.apply', { name: 'GFP' });
  expect(await a.call('camera.startLive')).toMatchObject({ ok: true });
  await until('light on', anyEmitting, 2_000);

  // b, an observer, leaves first: a (the controller; its leaving would also trip the control
  // watchdog, issue #13) still watches.
  b.close();
  await new Promise((r) => setTimeout(r, IDLE_S * 1_000 * 3));
  expect(camera().isLive()).toBe(true);
  expect(anyEmitting()).toBe(true);

  // a hands control back first, so the control watchdog (issue #13: it also stops live and
  // switches light off when the controller vanishes) cannot be what stops live here.
  expect(await a.call('control.release')).toMatchObject({ ok: true });
  a.close();
  await until('live stopped', () => !camera().isLive(), 5_000);
  await until('light off', () => !anyEmitting(), 2_000);
  expect(fx.host.store.state.shutter?.liveStopReason).toMatch(
    /no client watched it for 0\.3 s.*light off/,
  );
  expect(fx.host.store.state.camera?.live).toBe(false);
});
