/**
 * A small simulated-microscope host config whose camera is another driver's (gige-vision,
 * usb3-vision, …), under the id `camera`.
 */
import { expect } from 'vitest';
import { smallSimConfig, type HostFixture, type TestClient } from './host-fixture';

export function configWithCamera(
  camera: { driver: string; options: Record<string, unknown> },
  datasetsRoot: string,
) {
  const base = smallSimConfig({ storage: { datasetsRoot } });
  const devices = (base.devices as { kind: string }[]).filter((d) => d.kind !== 'camera');
  return { ...base, devices: [...devices, { id: 'camera', kind: 'camera', ...camera }] };
}

/** Three frames of one channel, back to back. */
export const THREE_FRAME_PLAN = {
  channels: [{ config: 'GFP', exposure: 10 }],
  time_plan: { interval: 0, loops: 3 },
};

/** Runs THREE_FRAME_PLAN as dataset `name` and checks it finished with every frame written. */
export async function runThreeFrames(
  fx: HostFixture,
  client: TestClient,
  name: string,
): Promise<void> {
  const started = await client.call('run.start', { plan: THREE_FRAME_PLAN, name });
  expect(started.ok ? 'ok' : JSON.stringify(started.error)).toBe('ok');
  await fx.host.acquisition.whenIdle();
  expect(fx.host.store.state.run).toMatchObject({
    state: 'finished',
    framesWritten: 3,
    framesDropped: 0,
    errors: [],
  });
}
