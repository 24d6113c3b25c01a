/**
 * The node-usb backend against a stand-in for the `usb` package (no USB bus here): which
 * devices count as USB3 Vision, which endpoints it uses, and how transfer results map to
 * UsbTransferError. What node-usb itself does on a real bus is not verified.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { UsbTransferError } from '../../../../drivers/cameras/u3v/usb-transport';

const iface = (
  interfaceNumber: number,
  cls: number,
  sub: number,
  protocol: number,
  eps: object[],
) => ({
  interfaceNumber,
  alternate: {
    interfaceClass: cls,
    interfaceSubclass: sub,
    interfaceProtocol: protocol,
    endpoints: eps,
  },
});
const bulk = (endpointNumber: number, direction: 'in' | 'out') => ({
  endpointNumber,
  direction,
  type: 'bulk',
});

function fakeDevice(serial: string, interfaces: object[]) {
  return {
    vendorId: 0x2676,
    productId: 0xba02,
    bus: '2',
    address: 5,
    ports: [1, 3],
    serialNumber: serial,
    manufacturerName: 'Vendor',
    productName: 'Cam',
    configuration: { interfaces },
    calls: [] as string[],
    in: [] as ({ data?: DataView; status: string } | Error)[],
    async open() {
      this.calls.push('open');
    },
    async close() {
      this.calls.push('close');
    },
    async claimInterface(n: number) {
      this.calls.push(`claim ${n}`);
    },
    async releaseInterface(n: number) {
      this.calls.push(`release ${n}`);
    },
    async transferIn(ep: number, length: number) {
      this.calls.push(`in ${ep} ${length}`);
      const next = this.in.shift() ?? new Error('timed out');
      if (next instanceof Error) throw next;
      return next;
    },
    async transferOut(ep: number, data: Uint8Array) {
      this.calls.push(`out ${ep} ${data.length}`);
      return { status: 'ok' };
    },
    async clearHalt(direction: string, ep: number) {
      this.calls.push(`clear ${direction} ${ep}`);
    },
  };
}

const u3v = fakeDevice('CAM1', [
  iface(0, 0xef, 0x05, 0x00, [bulk(1, 'out'), bulk(1, 'in')]),
  iface(1, 0xef, 0x05, 0x01, [bulk(2, 'in')]),
  iface(2, 0xef, 0x05, 0x02, [bulk(3, 'in')]),
]);
const webcam = fakeDevice('UVC', [iface(0, 0x0e, 0x01, 0x00, [bulk(1, 'in')])]);
const devices = { list: [u3v, webcam] as object[], fail: null as Error | null };

vi.mock('usb', () => ({
  usb: {
    getDevices: async () => {
      if (devices.fail) throw devices.fail;
      return devices.list;
    },
  },
}));

const { nodeUsbBackend } = await import('../../../../drivers/cameras/u3v/node-usb-backend');

describe('node-usb backend (stand-in usb package)', () => {
  beforeEach(() => {
    devices.fail = null;
    u3v.calls.length = 0;
  });

  it('lists only devices with the U3V control and streaming interfaces', async () => {
    expect(await nodeUsbBackend().list()).toEqual([
      {
        vendorId: 0x2676,
        productId: 0xba02,
        serial: 'CAM1',
        manufacturer: 'Vendor',
        product: 'Cam',
        location: 'bus 2 port 1.3',
      },
    ]);
    devices.fail = new Error('getDevices error: /sys/bus/usb/devices/ not found (errno 2)');
    await expect(nodeUsbBackend().list()).rejects.toThrow(
      /USB is not usable here: getDevices error/,
    );
  });

  it('claims control and streaming interfaces and maps transfers to their endpoints', async () => {
    const backend = nodeUsbBackend();
    const [info] = await backend.list();
    const link = await backend.open(info!);
    expect(u3v.calls).toEqual(['open', 'claim 0', 'claim 2']);
    await link.controlOut(Buffer.alloc(20), 100);
    u3v.in.push({ data: new DataView(new Uint8Array([1, 2, 3]).buffer), status: 'ok' });
    expect([...(await link.transferIn('stream', 64, 100))]).toEqual([1, 2, 3]);
    u3v.in.push({ status: 'stall' });
    const stall = await link.transferIn('control', 64, 100).catch((e: unknown) => e);
    expect(stall).toBeInstanceOf(UsbTransferError);
    expect((stall as UsbTransferError).status).toBe('stall');
    await link.clearHalt('control-out');
    for (const [message, status] of [
      ['LIBUSB_ERROR_NO_DEVICE', 'no-device'],
      ['device disconnected', 'no-device'],
      ['transfer timed out', 'timeout'],
      ['LIBUSB_TRANSFER_TIMED_OUT', 'timeout'],
      ['LIBUSB_ERROR_PIPE', 'stall'],
      ['overflow', 'error'],
    ] as const) {
      u3v.in.push(new Error(message));
      await expect(link.transferIn('control', 8, 100)).rejects.toMatchObject({ status });
    }
    await link.close();
    expect(u3v.calls).toEqual([
      'open',
      'claim 0',
      'claim 2',
      'out 1 20',
      'in 3 64',
      'in 1 64',
      'clear out 1',
      ...Array<string>(6).fill('in 1 8'),
      'release 0',
      'release 2',
      'close',
    ]);
  });
});
