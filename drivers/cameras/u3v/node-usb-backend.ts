/**
 * The USB seam on node-usb (package `usb` 3.x, WebUSB-style API). The module is imported on
 * first use, so nothing loads the native addon unless a USB3 Vision camera is listed or
 * opened. Failed transfers become UsbTransferError: a stalled endpoint (node-usb resolves
 * with status "stall"), a timeout, or a device that is gone (its error names a
 * disconnect / no device).
 */
import { DeviceError } from '../../errors';
import {
  U3V_CLASS,
  U3V_PROTOCOL,
  U3V_SUBCLASS,
  UsbTransferError,
  type U3vEndpoint,
  type UsbBackend,
  type UsbDeviceInfo,
  type UsbLink,
  type UsbTransferStatus,
} from './usb-transport';

/** The part of node-usb's WebUSB-style device this backend uses. */
interface Device {
  vendorId: number;
  productId: number;
  bus: string;
  address: number;
  ports: number[];
  serialNumber: string | null;
  manufacturerName: string | null;
  productName: string | null;
  configuration?: {
    interfaces: {
      interfaceNumber: number;
      alternate: {
        interfaceClass: number;
        interfaceSubclass: number;
        interfaceProtocol: number;
        endpoints: { endpointNumber: number; direction: 'in' | 'out'; type: string }[];
      };
    }[];
  };
  open(): Promise<void>;
  close(): Promise<void>;
  claimInterface(n: number): Promise<void>;
  releaseInterface(n: number): Promise<void>;
  transferIn(
    ep: number,
    length: number,
    timeoutMs: number,
  ): Promise<{ data?: DataView; status: string }>;
  transferOut(ep: number, data: Uint8Array, timeoutMs: number): Promise<{ status: string }>;
  clearHalt(direction: 'in' | 'out', ep: number): Promise<void>;
}

interface NodeUsb {
  getDevices(): Promise<Device[]>;
}

let loaded: Promise<NodeUsb> | null = null;

function nodeUsb(): Promise<NodeUsb> {
  loaded ??= import('usb').then((m) => {
    const mod = m as unknown as { usb?: NodeUsb; default?: { usb?: NodeUsb } };
    const usb = mod.usb ?? mod.default?.usb;
    if (!usb) throw new DeviceError('the usb package does not export "usb"');
    return usb;
  });
  return loaded;
}

const location = (d: Device) => `bus ${d.bus} port ${d.ports.join('.') || d.address}`;

/** The device's U3V interfaces by protocol, or null when it is not a USB3 Vision device. */
function u3vInterfaces(d: Device) {
  const ifaces = d.configuration?.interfaces ?? [];
  const find = (protocol: number) =>
    ifaces.find(
      (i) =>
        i.alternate.interfaceClass === U3V_CLASS &&
        i.alternate.interfaceSubclass === U3V_SUBCLASS &&
        i.alternate.interfaceProtocol === protocol,
    );
  const control = find(U3V_PROTOCOL.control);
  const stream = find(U3V_PROTOCOL.stream);
  if (!control || !stream) return null;
  return { control, event: find(U3V_PROTOCOL.event), stream };
}

function classify(err: unknown): UsbTransferError {
  const message = (err as Error)?.message ?? String(err);
  const status: UsbTransferStatus = /disconnect|no[ _-]?device|not[ _-]?found|enodev|gone/i.test(
    message,
  )
    ? 'no-device'
    : /time[ _-]?d?[ _-]?out/i.test(message)
      ? 'timeout'
      : /stall|pipe/i.test(message)
        ? 'stall'
        : 'error';
  return new UsbTransferError(status, message);
}

const info = (d: Device): UsbDeviceInfo => ({
  vendorId: d.vendorId,
  productId: d.productId,
  serial: d.serialNumber,
  manufacturer: d.manufacturerName,
  product: d.productName,
  location: location(d),
});

async function list(): Promise<{ device: Device; info: UsbDeviceInfo }[]> {
  const usb = await nodeUsb();
  let devices: Device[];
  try {
    devices = await usb.getDevices();
  } catch (err) {
    throw new DeviceError(`USB is not usable here: ${(err as Error).message}`);
  }
  return devices.filter((d) => u3vInterfaces(d)).map((d) => ({ device: d, info: info(d) }));
}

async function open(want: UsbDeviceInfo): Promise<UsbLink> {
  const found = (await list()).find((x) => x.info.location === want.location);
  if (!found) throw new UsbTransferError('no-device', `nothing at ${want.location}`);
  const d = found.device;
  const ifs = u3vInterfaces(d)!;
  const ep = (iface: typeof ifs.control | undefined, direction: 'in' | 'out') => {
    const e = iface?.alternate.endpoints.find(
      (x) => x.direction === direction && x.type === 'bulk',
    );
    if (!e)
      throw new DeviceError(`${want.location}: U3V interface has no bulk ${direction} endpoint`);
    return e.endpointNumber;
  };
  const endpoints: Record<U3vEndpoint | 'control-out', number | undefined> = {
    control: ep(ifs.control, 'in'),
    'control-out': ep(ifs.control, 'out'),
    stream: ep(ifs.stream, 'in'),
    event: ifs.event ? ep(ifs.event, 'in') : undefined,
  };
  try {
    await d.open();
    await d.claimInterface(ifs.control.interfaceNumber);
    await d.claimInterface(ifs.stream.interfaceNumber);
  } catch (err) {
    await d.close().catch(() => undefined);
    throw new DeviceError(
      `cannot open the USB3 Vision camera at ${want.location} (permission? udev rule?): ${(err as Error).message}`,
    );
  }
  const endpointOf = (e: U3vEndpoint | 'control-out') => {
    const n = endpoints[e];
    if (n === undefined) throw new UsbTransferError('error', `the device has no ${e} endpoint`);
    return n;
  };
  return {
    info: found.info,
    async controlOut(data, timeoutMs) {
      const r = await d
        .transferOut(endpointOf('control-out'), data, timeoutMs)
        .catch((e: unknown) => {
          throw classify(e);
        });
      if (r.status !== 'ok') throw new UsbTransferError('stall', 'control OUT endpoint stalled');
    },
    async transferIn(endpoint, length, timeoutMs) {
      const r = await d.transferIn(endpointOf(endpoint), length, timeoutMs).catch((e: unknown) => {
        throw classify(e);
      });
      if (r.status !== 'ok' || !r.data)
        throw new UsbTransferError('stall', `${endpoint} IN endpoint stalled`);
      return Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength);
    },
    async clearHalt(endpoint) {
      const direction = endpoint === 'control-out' ? 'out' : 'in';
      await d.clearHalt(direction, endpointOf(endpoint)).catch((e: unknown) => {
        throw classify(e);
      });
    },
    async close() {
      await d.releaseInterface(ifs.control.interfaceNumber).catch(() => undefined);
      await d.releaseInterface(ifs.stream.interfaceNumber).catch(() => undefined);
      await d.close().catch(() => undefined);
    },
  };
}

export function nodeUsbBackend(): UsbBackend {
  return {
    list: async () => (await list()).map((x) => x.info),
    open,
  };
}
