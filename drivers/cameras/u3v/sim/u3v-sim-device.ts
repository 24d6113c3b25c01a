/**
 * A simulated USB3 Vision camera at the byte level: its memory (ABRM, SBRM, SIRM, manifest,
 * zipped GenICam XML, feature registers), GenCP commands in and acknowledges out, and the
 * blocks it puts on the streaming endpoint (leader, payload transfers sized by the SIRM,
 * trailer). The image is a known pattern (simPixel) so tests can check every pixel.
 * Fault hooks: PENDING_ACK before slow commands, a garbled or short next ack.
 */
import { Abrm, Sbrm, Sirm, SIRM_STREAM_ENABLE, encodeManifestEntry } from '../bootstrap';
import { GencpCmd, decodeCommand, encodeAck } from '../gencp';
import {
  PAYLOAD_IMAGE,
  IMAGE_LEADER_SIZE,
  IMAGE_TRAILER_SIZE,
  encodeLeader,
  encodeTrailer,
} from '../uvsp';
import { renderSimFrame } from './u3v-sim-frame';
import { zipOneFile } from '../../genicam/zip';
import { FEATURES, Reg, SIM_FORMATS, simXml } from './u3v-sim-xml';

export interface SimDeviceOptions {
  serial: string;
  model?: string;
  sensor?: { width: number; height: number };
  /** Largest command / ack the device takes / sends (SBRM), bytes. */
  maxTransfer?: number;
  /** ABRM maximum device response time, ms. */
  responseTimeMs?: number;
}

const SBRM = 0x1000;
const SIRM = 0x2000;
const MANIFEST = 0x3000;
const XML_AT = 0x4000;
const MEMORY = Reg.end;
/** 2^3 = 8-byte payload alignment (SIRM info bits 31..24). */
const ALIGN_LOG2 = 3;

const STATUS_INVALID_ADDRESS = 0x8003;
const STATUS_WRITE_PROTECT = 0x8004;

export class U3vSimDevice {
  readonly mem = Buffer.alloc(MEMORY);
  /** Acks the host will read from the control IN endpoint. */
  readonly acks: Buffer[] = [];
  /** Transfers queued on the streaming IN endpoint. */
  readonly stream: Buffer[] = [];
  /** Called when acks or stream transfers were queued. */
  onData: () => void = () => undefined;
  /** Fault: commands writing these addresses get a PENDING_ACK and their ack this much later. */
  pendingAckMs = 0;
  pendingAddresses = new Set<number>([Reg.acquisitionStart]);
  /** Fault: the next ack is garbled (wrong prefix) or cut short. */
  corruptNextAck: 'garbled' | 'short' | null = null;
  /**
   * Fault for the next block: its trailer reports an error, it ends after one transfer, or
   * it is lost whole (its block id is used, nothing is sent).
   */
  nextBlockFault: 'status' | 'short' | 'lost' | null = null;
  blockId = 1;
  commands = 0;
  private acquiring = false;
  private timer: NodeJS.Timeout | null = null;
  private timers = new Set<NodeJS.Timeout>();

  constructor(readonly opts: SimDeviceOptions) {
    const m = this.mem;
    const text = (at: number, s: string) => m.write(s, at, Abrm.stringSize - 1, 'latin1');
    m.writeUInt32LE(0x00010000, Abrm.gencpVersion);
    text(Abrm.manufacturer, 'Aquila');
    text(Abrm.model, opts.model ?? 'U3V-Sim');
    text(Abrm.deviceVersion, '1.0.0');
    text(Abrm.serial, opts.serial);
    m.writeUInt32LE(opts.responseTimeMs ?? 50, Abrm.maxResponseTimeMs);
    m.writeBigUInt64LE(BigInt(MANIFEST), Abrm.manifestTable);
    m.writeBigUInt64LE(BigInt(SBRM), Abrm.sbrmAddress);
    m.writeUInt32LE(0x00010000, SBRM + Sbrm.u3vVersion);
    m.writeUInt32LE(opts.maxTransfer ?? 512, SBRM + Sbrm.maxCmdTransfer);
    m.writeUInt32LE(opts.maxTransfer ?? 512, SBRM + Sbrm.maxAckTransfer);
    m.writeUInt32LE(1, SBRM + Sbrm.streamChannels);
    m.writeBigUInt64LE(BigInt(SIRM), SBRM + Sbrm.sirmAddress);
    m.writeUInt32LE(Sirm.size, SBRM + Sbrm.sirmLength);
    m.writeUInt32LE(ALIGN_LOG2 << 24, SIRM + Sirm.info);
    const zip = zipOneFile('u3v-sim.xml', Buffer.from(simXml(opts.model ?? 'U3V-Sim')));
    if (XML_AT + zip.length > FEATURES) throw new Error('simulator XML does not fit its memory');
    m.writeBigUInt64LE(1n, MANIFEST);
    encodeManifestEntry({ version: '1.1.0', zipped: true, address: XML_AT, size: zip.length }).copy(
      m,
      MANIFEST + 8,
    );
    zip.copy(m, XML_AT);
    const sensor = opts.sensor ?? { width: 640, height: 480 };
    m.writeUInt32LE(sensor.width, Reg.sensorWidth);
    m.writeUInt32LE(sensor.height, Reg.sensorHeight);
    m.writeUInt32LE(sensor.width, Reg.width);
    m.writeUInt32LE(sensor.height, Reg.height);
    m.writeUInt32LE(1, Reg.binningH);
    m.writeUInt32LE(1, Reg.binningV);
    m.writeUInt32LE(SIM_FORMATS.Mono16, Reg.pixelFormat);
    m.writeDoubleLE(10_000, Reg.exposureUs);
    m.writeUInt32LE(415, Reg.temperatureRaw);
    this.afterWrite(-1);
  }

  u32 = (at: number) => this.mem.readUInt32LE(at);

  /** One GenCP command from the control OUT endpoint. */
  command(raw: Buffer): void {
    this.commands++;
    const cmd = decodeCommand(raw);
    const addr = cmd.scd.length >= 8 ? Number(cmd.scd.readBigUInt64LE(0)) : -1;
    const ack = (status: number, command: number, scd: Buffer) =>
      this.queueAck(encodeAck({ status, command, requestId: cmd.requestId, scd }));
    if (cmd.command === GencpCmd.readMem) {
      const n = cmd.scd.readUInt16LE(10);
      if (addr < 0 || addr + n > MEMORY)
        return ack(STATUS_INVALID_ADDRESS, GencpCmd.readMemAck, Buffer.alloc(0));
      return ack(0, GencpCmd.readMemAck, Buffer.from(this.mem.subarray(addr, addr + n)));
    }
    if (cmd.command !== GencpCmd.writeMem) return ack(0x8001, cmd.command + 1, Buffer.alloc(0));
    const data = cmd.scd.subarray(8);
    const done = Buffer.alloc(4);
    done.writeUInt16LE(data.length, 2);
    if (addr < 0 || addr + data.length > MEMORY)
      return ack(STATUS_INVALID_ADDRESS, GencpCmd.writeMemAck, Buffer.alloc(4));
    if (!this.writable(addr, data.length))
      return ack(STATUS_WRITE_PROTECT, GencpCmd.writeMemAck, Buffer.alloc(4));
    const finish = () => {
      data.copy(this.mem, addr);
      this.afterWrite(addr);
      ack(0, GencpCmd.writeMemAck, done);
    };
    if (this.pendingAckMs > 0 && this.pendingAddresses.has(addr)) {
      const pending = Buffer.alloc(4);
      pending.writeUInt16LE(this.pendingAckMs * 2, 2);
      ack(0, GencpCmd.pendingAck, pending);
      this.later(this.pendingAckMs, finish);
    } else finish();
  }

  private writable(addr: number, n: number): boolean {
    const within = (from: number, to: number) => addr >= from && addr + n <= to;
    const ro = [Reg.sensorWidth, Reg.sensorHeight, Reg.temperatureRaw].some(
      (r) => addr < r + 4 && addr + n > r,
    );
    return within(SIRM + Sirm.control, SIRM + Sirm.size) || (within(FEATURES + 8, Reg.end) && !ro);
  }

  private queueAck(ack: Buffer): void {
    const fault = this.corruptNextAck;
    this.corruptNextAck = null;
    if (fault === 'garbled') ack.writeUInt32LE(0xdeadbeef, 0);
    this.acks.push(fault === 'short' ? ack.subarray(0, 10) : ack);
    this.onData();
  }

  private later(ms: number, run: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      run();
    }, ms);
    this.timers.add(t);
  }

  private triggerIndex(): number {
    return this.u32(Reg.triggerSelector) === 1 ? 4 : 0;
  }

  private afterWrite(addr: number): void {
    // like real cameras, binning shrinks the ROI to fit the binned sensor
    const fit = (size: number, sensor: number, bin: number, offset: number) =>
      this.mem.writeUInt32LE(
        Math.max(
          1,
          Math.min(this.u32(size), Math.floor(this.u32(sensor) / this.u32(bin)) - this.u32(offset)),
        ),
        size,
      );
    if (addr === Reg.binningH) fit(Reg.width, Reg.sensorWidth, Reg.binningH, Reg.offsetX);
    if (addr === Reg.binningV) fit(Reg.height, Reg.sensorHeight, Reg.binningV, Reg.offsetY);
    const w = this.u32(Reg.width);
    const h = this.u32(Reg.height);
    const bits = (this.u32(Reg.pixelFormat) >>> 16) & 0xff;
    this.mem.writeBigUInt64LE(
      BigInt(Math.ceil((w * h * bits) / 8)),
      SIRM + Sirm.requiredPayloadSize,
    );
    this.mem.writeUInt32LE(IMAGE_LEADER_SIZE, SIRM + Sirm.requiredLeaderSize);
    this.mem.writeUInt32LE(IMAGE_TRAILER_SIZE, SIRM + Sirm.requiredTrailerSize);
    if (addr === Reg.acquisitionStart) this.startAcquisition();
    if (addr === Reg.acquisitionStop) this.stopAcquisition();
    if (addr === Reg.triggerSoftware && this.acquiring) this.emitBlock();
    if (addr === SIRM + Sirm.control && !(this.u32(SIRM + Sirm.control) & SIRM_STREAM_ENABLE)) {
      this.stopAcquisition();
      this.stream.length = 0;
    }
  }

  private startAcquisition(): void {
    this.acquiring = true;
    const triggered = this.u32(Reg.triggerMode) === 1; // FrameStart trigger
    if (triggered) return;
    if (this.u32(Reg.acquisitionMode) === 1) {
      this.emitBlock();
      this.acquiring = false;
      return;
    }
    const periodMs = Math.max(2, this.mem.readDoubleLE(Reg.exposureUs) / 1000);
    this.timer = setInterval(() => {
      if (this.stream.length < 64) this.emitBlock();
    }, periodMs);
  }

  stopAcquisition(): void {
    this.acquiring = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Puts one block on the streaming endpoint, split as the SIRM says. */
  emitBlock(): void {
    if (!(this.u32(SIRM + Sirm.control) & SIRM_STREAM_ENABLE)) return;
    const s = (o: number) => this.u32(SIRM + o);
    const format = this.u32(Reg.pixelFormat);
    const frame = {
      blockId: this.blockId++,
      format,
      width: this.u32(Reg.width),
      height: this.u32(Reg.height),
      offsetX: this.u32(Reg.offsetX),
      offsetY: this.u32(Reg.offsetY),
      binning: this.u32(Reg.binningH),
    };
    const payload = renderSimFrame(frame);
    const leader = encodeLeader({
      ...frame,
      payloadType: PAYLOAD_IMAGE,
      timestamp: BigInt(Date.now()) * 1_000_000n,
      pixelFormat: format,
    });
    const out: Buffer[] = [leader];
    let at = 0;
    const sizes = [
      ...Array<number>(s(Sirm.payloadTransferCount)).fill(s(Sirm.payloadTransferSize)),
      s(Sirm.finalTransfer1Size),
      s(Sirm.finalTransfer2Size),
    ];
    const fault = this.nextBlockFault;
    this.nextBlockFault = null;
    if (fault === 'lost') return;
    for (const size of sizes) {
      if (size === 0 || at >= payload.length || (fault === 'short' && at > 0)) continue;
      out.push(payload.subarray(at, at + size));
      at += size;
    }
    out.push(
      encodeTrailer({
        blockId: frame.blockId,
        status: fault === 'status' ? 0xa101 : 0,
        validPayloadSize: Math.min(at, payload.length),
        height: frame.height,
      }),
    );
    this.stream.push(...out);
    this.onData();
  }

  /** Power loss: nothing more happens on this device. */
  halt(): void {
    this.stopAcquisition();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
