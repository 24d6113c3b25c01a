/** node-usb (a native addon) is loaded only when USB is searched, not by the registry or the simulator. */
import { expect, it, vi } from 'vitest';

const state = vi.hoisted(() => ({ loaded: false }));
vi.mock('usb', () => {
  state.loaded = true;
  return { usb: { getDevices: async () => [] } };
});

it('loads the usb package on the first USB search only', async () => {
  const { createDevice } = await import('../../../../drivers/registry');
  const cam = createDevice(
    { id: 'c', kind: 'camera', driver: 'usb3-vision', options: { simulate: true } },
    {
      log: () => undefined,
      simWorld: () => {
        throw new Error('unused');
      },
    },
  );
  await cam.connect();
  await cam.disconnect();
  await import('../../../../electron/cli/commands/cameras');
  expect(state.loaded).toBe(false);
  const { nodeUsbBackend } = await import('../../../../drivers/cameras/u3v/node-usb-backend');
  expect(await nodeUsbBackend().list()).toEqual([]);
  expect(state.loaded).toBe(true);
});
