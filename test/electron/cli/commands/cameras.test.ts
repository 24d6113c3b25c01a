import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camerasCommand, command } from '../../../../electron/cli/commands/cameras';
import { SimU3vBus } from '../../../../drivers/cameras/u3v/sim/u3v-sim-bus';
import type { UsbBackend } from '../../../../drivers/cameras/u3v/usb-transport';
import {
  ARAVIS_FAKE_START_TIMEOUT_MS,
  aravisFakeAvailable,
  startAravisFake,
  type AravisFake,
} from '../../../support/aravis-fake';

function capture() {
  const out: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => out.push(l) }, out };
}

describe('aquila cameras', () => {
  it('refuses bad arguments with the usage', async () => {
    await expect(command.run(['--address', 'cam.local'], capture().io)).rejects.toThrow(
      /--address: "cam.local" is not an IPv4 address; usage: aquila cameras/,
    );
    await expect(command.run(['extra'], capture().io)).rejects.toThrow(
      /unexpected argument "extra"/,
    );
    await expect(command.run(['--interface', 'nope0'], capture().io)).rejects.toThrow(
      /network interface "nope0" has no IPv4 address/,
    );
  });

  it('says so when nothing answers', async () => {
    const c = capture();
    const noUsb = camerasCommand(() => new SimU3vBus());
    expect(await noUsb.run(['--address', '127.0.0.3', '--window', '100'], c.io)).toBe(0);
    expect(c.out).toEqual([
      'No GigE Vision camera answered (asked 127.0.0.3).',
      'No USB3 Vision camera is plugged in.',
    ]);
  });

  it('lists USB3 Vision cameras by USB class, and says why when USB cannot be searched', async () => {
    const bus = new SimU3vBus();
    bus.plug({ serial: 'U3V-A' });
    const c = capture();
    const args = ['--address', '127.0.0.3', '--window', '100'];
    expect(await camerasCommand(() => bus).run(args, c.io)).toBe(0);
    expect(c.out[1]).toBe('usb3-vision  1209:0003  Aquila U3V-Sim  serial U3V-A  at sim U3V-A');
    const j = capture();
    expect(await camerasCommand(() => bus).run(['--json', ...args], j.io)).toBe(0);
    expect(JSON.parse(j.out.join('\n'))).toMatchObject({
      gige: [],
      usb3: [{ vendorId: 0x1209, productId: 3, serial: 'U3V-A' }],
    });
    const denied: UsbBackend = {
      list: async () => {
        throw new Error('LIBUSB_ERROR_ACCESS: no permission');
      },
      open: async () => {
        throw new Error('unused');
      },
    };
    const d = capture();
    expect(await camerasCommand(() => denied).run(args, d.io)).toBe(0);
    expect(d.out[1]).toBe(
      'USB3 Vision cameras could not be listed: LIBUSB_ERROR_ACCESS: no permission',
    );
    // the real node-usb backend on this machine: listed, or the reason it cannot be
    const real = capture();
    expect(await command.run(args, real.io)).toBe(0);
    expect(real.out[1]).toMatch(
      /^(No USB3 Vision camera is plugged in\.|USB3 Vision cameras could not be listed: .+|usb3-vision {2}.+)$/,
    );
  });

  describe.skipIf(!aravisFakeAvailable())('with Aravis fake camera', () => {
    let fake: AravisFake;
    beforeAll(async () => {
      fake = await startAravisFake({ serial: 'CLI7' });
    }, ARAVIS_FAKE_START_TIMEOUT_MS);
    afterAll(async () => {
      await fake?.stop();
    });

    it('lists it with identity, also as JSON', async () => {
      const c = capture();
      expect(await command.run(['--address', '127.0.0.1'], c.io)).toBe(0);
      expect(c.out).toHaveLength(2); // the GigE camera, then the USB3 Vision line
      expect(c.out[0]).toMatch(
        /^gige-vision {2}127\.0\.0\.1 {2}Aravis Fake {2}serial CLI7 {2}firmware 0\.8\.\d+/,
      );
      const j = capture();
      expect(await command.run(['--json', '--address', '127.0.0.1'], j.io)).toBe(0);
      expect(JSON.parse(j.out.join('\n'))).toMatchObject({
        gige: [{ ip: '127.0.0.1', model: 'Fake', serial: 'CLI7' }],
        asked: ['127.0.0.1'],
      });
    });
  });
});
