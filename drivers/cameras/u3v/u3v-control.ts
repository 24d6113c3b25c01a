/**
 * GenCP client over a USB3 Vision control interface: one command in flight, request ids,
 * PENDING_ACK (the device asks for more time: wait that long for the real ack), reads and
 * writes split by the SBRM's maximum command / ack transfer sizes, bounded retries of a
 * command whose ack arrived garbled or short, stalls cleared. Then the bootstrap: identity
 * from the ABRM, SBRM and SIRM addresses, and the GenICam XML from the manifest table
 * (zipped or not) as a node map. A device that is gone (USB NO_DEVICE) becomes a
 * DisconnectedError and is reported once to `onLost` listeners.
 */
import type { DeviceIdentity } from '../../devices';
import { DeviceError, DisconnectedError, ProtocolError, TimeoutError } from '../../errors';
import { NodeMap } from '../genicam/node-map';
import { isZip, unzipFirstFile } from '../genicam/zip';
import {
  Abrm,
  MANIFEST_ENTRY_SIZE,
  Sbrm,
  decodeManifestEntry,
  decodeText,
  type ManifestEntry,
} from './bootstrap';
import {
  FLAG_REQUEST_ACK,
  GENCP_HEADER,
  GencpCmd,
  decodeAck,
  encodeCommand,
  nextRequestId,
  readMemScd,
  statusText,
  writeMemScd,
} from './gencp';
import { UsbTransferError, type UsbLink } from './usb-transport';

export interface U3vControlOptions {
  /** Ack timeout when the device's own maximum response time is shorter. */
  timeoutMs: number;
  /** Extra attempts for a command whose ack was garbled, short, lost or stalled. */
  retries: number;
}

/** Before the SBRM is read, transfers stay within what every device takes. */
const DEFAULT_MAX_TRANSFER = 1024;

export class U3vControl {
  readonly label: string;
  private requestId = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private maxCmd = DEFAULT_MAX_TRANSFER;
  private maxAck = DEFAULT_MAX_TRANSFER;
  private responseMs: number;
  private lost = false;
  private lostListeners: ((err: Error) => void)[] = [];
  private watch: NodeJS.Timeout | null = null;
  private busy = 0;

  constructor(
    readonly link: UsbLink,
    private readonly opts: U3vControlOptions,
  ) {
    this.label = `USB3 Vision camera ${link.info.serial ?? link.info.location}`;
    this.responseMs = opts.timeoutMs;
  }

  onLost(listener: (err: Error) => void): void {
    this.lostListeners.push(listener);
  }

  isLost(): boolean {
    return this.lost;
  }

  /**
   * Notices an unplugged device while nothing else talks to it: every `periodMs` without
   * another command, reads the ABRM GenCP version (USB3 Vision needs no heartbeat; this
   * only makes the loss visible).
   */
  startWatch(periodMs: number): void {
    let idle = 0;
    this.watch = setInterval(() => {
      if (this.lost || this.busy > 0 || ++idle < 2) return;
      idle = 0;
      this.readMem(Abrm.gencpVersion, 4).catch(() => undefined);
    }, periodMs / 2);
    this.watch.unref();
  }

  stopWatch(): void {
    if (this.watch) clearInterval(this.watch);
    this.watch = null;
  }

  /** Turns a USB failure into a typed error; a gone device is reported to onLost once. */
  usbError(err: unknown, what: string): Error {
    if (!(err instanceof UsbTransferError)) return err as Error;
    if (err.status === 'no-device') {
      const e = new DisconnectedError(`${this.label} is gone (unplugged?) during ${what}`, {
        usb: err.message,
      });
      if (!this.lost) {
        this.lost = true;
        for (const l of this.lostListeners) l(e);
      }
      return e;
    }
    if (err.status === 'timeout')
      return new TimeoutError(`${this.label}: ${what} timed out`, { usb: err.message });
    return new DeviceError(`${this.label}: ${what} failed: ${err.message}`, {
      usb: err.status,
    });
  }

  private async transact(command: number, scd: Buffer, expectAck: number): Promise<Buffer> {
    let last: Error | null = null;
    for (let attempt = 0; attempt <= this.opts.retries; attempt++) {
      if (this.lost) throw new DisconnectedError(`${this.label} is gone`);
      this.requestId = nextRequestId(this.requestId);
      const id = this.requestId;
      const what = `GenCP command 0x${command.toString(16)} (request ${id})`;
      try {
        await this.link.controlOut(
          encodeCommand({ flags: FLAG_REQUEST_ACK, command, requestId: id, scd }),
          this.responseMs,
        );
        let waitMs = this.responseMs;
        for (;;) {
          const raw = await this.link.transferIn('control', this.maxAck, waitMs);
          const ack = decodeAck(raw);
          if (ack.requestId !== id) continue; // a late ack of an earlier, abandoned command
          if (ack.command === GencpCmd.pendingAck) {
            waitMs = Math.max(this.responseMs, ack.scd.length >= 4 ? ack.scd.readUInt16LE(2) : 0);
            continue;
          }
          if (ack.status !== 0)
            throw new DeviceError(`${this.label}: ${what} refused: ${statusText(ack.status)}`, {
              status: ack.status,
            });
          if (ack.command !== expectAck)
            throw new ProtocolError(
              `${this.label}: ${what} answered with 0x${ack.command.toString(16)}`,
            );
          return ack.scd;
        }
      } catch (err) {
        if (err instanceof UsbTransferError && err.status === 'stall') {
          await this.link.clearHalt('control-out').catch(() => undefined);
          await this.link.clearHalt('control').catch(() => undefined);
        }
        const e = this.usbError(err, what);
        const refused = e instanceof DeviceError && !(err instanceof UsbTransferError);
        if (e instanceof DisconnectedError || refused) throw e;
        last = e;
      }
    }
    throw last!;
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    this.busy++;
    const next = this.queue.then(run, run).finally(() => this.busy--);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async readMem(address: number, length: number): Promise<Buffer> {
    const chunk = Math.min(this.maxAck - GENCP_HEADER, 0xffff);
    const parts: Buffer[] = [];
    for (let done = 0; done < length;) {
      const n = Math.min(chunk, length - done);
      const data = await this.serial(() =>
        this.transact(GencpCmd.readMem, readMemScd(address + done, n), GencpCmd.readMemAck),
      );
      if (data.length !== n)
        throw new ProtocolError(
          `${this.label}: read of ${n} bytes at 0x${(address + done).toString(16)} returned ${data.length}`,
        );
      parts.push(data);
      done += n;
    }
    return Buffer.concat(parts);
  }

  async writeMem(address: number, data: Buffer): Promise<void> {
    const chunk = this.maxCmd - GENCP_HEADER - 8;
    for (let done = 0; done < data.length;) {
      const part = data.subarray(done, done + chunk);
      const ack = await this.serial(() =>
        this.transact(GencpCmd.writeMem, writeMemScd(address + done, part), GencpCmd.writeMemAck),
      );
      const written = ack.length >= 4 ? ack.readUInt16LE(2) : part.length;
      if (written !== part.length)
        throw new ProtocolError(
          `${this.label}: wrote ${written} of ${part.length} bytes at 0x${(address + done).toString(16)}`,
        );
      done += part.length;
    }
  }

  readU32 = async (address: number) => (await this.readMem(address, 4)).readUInt32LE(0);
  readU64 = async (address: number) => Number((await this.readMem(address, 8)).readBigUInt64LE(0));
  writeU32 = (address: number, v: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    return this.writeMem(address, b);
  };
  writeU64 = (address: number, v: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    return this.writeMem(address, b);
  };

  /** Reads identity, response time and SBRM; returns the SIRM address. */
  async bootstrap(): Promise<{ identity: DeviceIdentity; sirm: number; manifest: number }> {
    const text = async (at: number) => decodeText(await this.readMem(at, Abrm.stringSize));
    const identity = {
      vendor: await text(Abrm.manufacturer),
      model: await text(Abrm.model),
      serial: await text(Abrm.serial),
      firmware: await text(Abrm.deviceVersion),
    };
    this.responseMs = Math.max(this.opts.timeoutMs, await this.readU32(Abrm.maxResponseTimeMs));
    const sbrm = await this.readU64(Abrm.sbrmAddress);
    const maxCmd = await this.readU32(sbrm + Sbrm.maxCmdTransfer);
    const maxAck = await this.readU32(sbrm + Sbrm.maxAckTransfer);
    if (maxCmd < GENCP_HEADER + 12 || maxAck < GENCP_HEADER + 4)
      throw new ProtocolError(
        `${this.label}: SBRM maximum transfer sizes ${maxCmd}/${maxAck} are too small`,
      );
    this.maxCmd = maxCmd;
    this.maxAck = maxAck;
    const sirm = await this.readU64(sbrm + Sbrm.sirmAddress);
    return { identity, sirm, manifest: await this.readU64(Abrm.manifestTable) };
  }

  /** The first manifest entry's GenICam XML (unzipped) as a node map over this channel. */
  async loadNodeMap(manifest: number): Promise<NodeMap> {
    const count = await this.readU64(manifest);
    if (count < 1)
      throw new ProtocolError(`${this.label}: the manifest table lists no GenICam file`);
    const entry: ManifestEntry = decodeManifestEntry(
      await this.readMem(manifest + 8, MANIFEST_ENTRY_SIZE),
    );
    let xml = await this.readMem(entry.address, entry.size);
    if (entry.zipped || isZip(xml)) xml = unzipFirstFile(xml).data;
    return NodeMap.fromXml(xml, {
      read: (address, length) => this.readMem(address, length),
      write: (address, data) => this.writeMem(address, data),
    });
  }
}
