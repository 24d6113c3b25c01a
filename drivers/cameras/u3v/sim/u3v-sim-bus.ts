/**
 * A USB bus with simulated USB3 Vision cameras, implementing the driver's USB seam
 * (usb-transport.ts) so the driver runs unchanged against it. Faults, as a real bus shows
 * them: unplug (every pending and later transfer fails NO_DEVICE and the device leaves the
 * list, optionally after N more streaming transfers), replug (the device returns in its
 * power-up state), a stalled endpoint (transfers fail STALL until the host clears the halt).
 */
import {
  UsbTransferError,
  type U3vEndpoint,
  type UsbBackend,
  type UsbDeviceInfo,
  type UsbLink,
} from '../usb-transport';
import { U3vSimDevice, type SimDeviceOptions } from './u3v-sim-device';

export const SIM_VENDOR_ID = 0x1209;
export const SIM_PRODUCT_ID = 0x0003;

interface Waiter {
  endpoint: U3vEndpoint;
  length: number;
  resolve: (b: Buffer) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class SimU3vPort {
  device: U3vSimDevice;
  plugged = true;
  /** Stream transfers delivered since plug-in. */
  streamTransfers = 0;
  /** Bumped at each replug: links opened before it see NO_DEVICE, as after a real replug. */
  private generation = 0;
  private unplugAfter: number | null = null;
  private stalled = new Set<U3vEndpoint | 'control-out'>();
  private waiters: Waiter[] = [];

  constructor(readonly opts: SimDeviceOptions) {
    this.device = this.powerUp();
  }

  get info(): UsbDeviceInfo {
    return {
      vendorId: SIM_VENDOR_ID,
      productId: SIM_PRODUCT_ID,
      serial: this.opts.serial,
      manufacturer: 'Aquila',
      product: this.opts.model ?? 'U3V-Sim',
      location: `sim ${this.opts.serial}`,
    };
  }

  private powerUp(): U3vSimDevice {
    const d = new U3vSimDevice(this.opts);
    d.onData = () => this.pump();
    return d;
  }

  /** Pulls the cable now, or after `afterStreamTransfers` more streaming transfers. */
  unplug(afterStreamTransfers?: number): void {
    if (afterStreamTransfers !== undefined) {
      this.unplugAfter = this.streamTransfers + afterStreamTransfers;
      return;
    }
    this.plugged = false;
    this.unplugAfter = null;
    this.device.halt();
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new UsbTransferError('no-device', 'LIBUSB_ERROR_NO_DEVICE'));
    }
  }

  replug(): void {
    this.device.halt();
    this.device = this.powerUp();
    this.streamTransfers = 0;
    this.generation++;
    this.stalled.clear();
    this.plugged = true;
  }

  stall(endpoint: U3vEndpoint | 'control-out'): void {
    this.stalled.add(endpoint);
    for (const w of this.waiters.filter((x) => x.endpoint === endpoint)) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      clearTimeout(w.timer);
      w.reject(new UsbTransferError('stall', `${endpoint} endpoint stalled`));
    }
  }

  private check(endpoint: U3vEndpoint | 'control-out', generation: number): void {
    if (!this.plugged || generation !== this.generation)
      throw new UsbTransferError('no-device', 'LIBUSB_ERROR_NO_DEVICE');
    if (this.stalled.has(endpoint))
      throw new UsbTransferError('stall', `${endpoint} endpoint stalled`);
  }

  private queue(endpoint: U3vEndpoint): Buffer[] | null {
    if (endpoint === 'control') return this.device.acks;
    if (endpoint === 'stream') return this.device.stream;
    return null;
  }

  private pump(): void {
    for (const w of [...this.waiters]) {
      const q = this.queue(w.endpoint);
      const next = q?.shift();
      if (!next) continue;
      this.waiters.splice(this.waiters.indexOf(w), 1);
      clearTimeout(w.timer);
      this.deliver(w, next);
    }
  }

  private deliver(w: Pick<Waiter, 'endpoint' | 'length' | 'resolve' | 'reject'>, data: Buffer) {
    if (w.endpoint === 'stream') {
      this.streamTransfers++;
      if (this.unplugAfter !== null && this.streamTransfers > this.unplugAfter) {
        this.unplug();
        return w.reject(new UsbTransferError('no-device', 'LIBUSB_ERROR_NO_DEVICE'));
      }
    }
    if (data.length > w.length)
      return w.reject(
        new UsbTransferError('error', `overflow: ${data.length} > ${w.length} bytes`),
      );
    w.resolve(Buffer.from(data));
  }

  link(): UsbLink {
    const gen = this.generation;
    return {
      info: this.info,
      controlOut: async (data) => {
        this.check('control-out', gen);
        this.device.command(data);
      },
      transferIn: (endpoint, length, timeoutMs) =>
        new Promise<Buffer>((resolve, reject) => {
          this.check(endpoint, gen);
          const next = this.queue(endpoint)?.shift();
          if (next) return this.deliver({ endpoint, length, resolve, reject }, next);
          const w: Waiter = {
            endpoint,
            length,
            resolve,
            reject,
            timer: setTimeout(() => {
              this.waiters.splice(this.waiters.indexOf(w), 1);
              reject(
                new UsbTransferError('timeout', `${endpoint} IN timed out after ${timeoutMs} ms`),
              );
            }, timeoutMs),
          };
          this.waiters.push(w);
        }),
      clearHalt: async (endpoint) => {
        if (!this.plugged || gen !== this.generation)
          throw new UsbTransferError('no-device', 'LIBUSB_ERROR_NO_DEVICE');
        this.stalled.delete(endpoint);
      },
      close: async () => undefined,
    };
  }
}

export class SimU3vBus implements UsbBackend {
  readonly ports: SimU3vPort[] = [];

  plug(opts: SimDeviceOptions): SimU3vPort {
    const port = new SimU3vPort(opts);
    this.ports.push(port);
    return port;
  }

  async list(): Promise<UsbDeviceInfo[]> {
    return this.ports.filter((p) => p.plugged).map((p) => p.info);
  }

  async open(info: UsbDeviceInfo): Promise<UsbLink> {
    const port = this.ports.find((p) => p.plugged && p.info.location === info.location);
    if (!port) throw new UsbTransferError('no-device', `nothing at ${info.location}`);
    return port.link();
  }
}

let shared: SimU3vBus | null = null;

/** The process-wide simulated bus `options.simulate` uses: one camera, serial "SIM0001". */
export function simulatedU3vBus(): SimU3vBus {
  if (!shared) {
    shared = new SimU3vBus();
    shared.plug({ serial: 'SIM0001' });
  }
  return shared;
}
