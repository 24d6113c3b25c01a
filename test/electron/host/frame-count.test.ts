/** Issue #18 §9: the camera's "acquired" count is exact once live stops and after a snap. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseConfig } from '../../../electron/config/load';
import type { CallContext } from '../../../electron/host/command-handlers';
import { createHost, type Host } from '../../../electron/host/host';
import { smallSimConfig } from '../../support/host-fixture';
import { until } from '../../support/wait';

const ctx: CallContext = { clientId: 'count-test', transport: 'internal' };
let host: Host;
let published: number;

beforeEach(async () => {
  published = 0;
  host = await createHost(
    { path: '/test/count.json', config: parseConfig(JSON.stringify(smallSimConfig()), 'test') },
    { log: { log: () => undefined } },
  );
  host.bus.subscribe(() => void published++);
});
afterEach(async () => {
  await host.shutdown('test end');
});

it('acquired equals the frames published, once live stops and after each snap', async () => {
  expect((await host.call('camera.startLive', {}, ctx)).ok).toBe(true);
  await until('live frames', () => published >= 7, 5_000);
  expect((await host.call('camera.stopLive', {}, ctx)).ok).toBe(true);
  expect(host.store.state.camera?.framesAcquired).toBe(published);
  expect((await host.call('camera.snap', {}, ctx)).ok).toBe(true);
  expect(host.store.state.camera?.framesAcquired).toBe(published);
});
