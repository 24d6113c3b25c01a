/**
 * Stream channel 0 of a GigE Vision camera: SCP setup (packet size negotiated, destination,
 * port), pixel format choice, and snap / live acquisition into 16-bit frames. The stream is
 * received on a thread of its own (GvspStream); a live 16-bit frame becomes the RawFrame's
 * pixels without a copy, a snap is copied into the caller's buffer. Incomplete frames are
 * counted and reported to `warn`, never delivered.
 */
import type { RawFrame } from '../../devices';
import { StateError, TimeoutError } from '../../errors';
import type { NodeMap } from '../genicam/node-map';
import {
  MONO_PREFERENCE,
  bitDepthOf,
  payloadBytes,
  toMono16,
  type MonoFormat,
} from '../genicam/pixels';
import type { GigeControl } from './gige-control';
import { Bootstrap, CAPABILITY_PACKET_RESEND } from './gvcp';
import { GVSP_OVERHEAD, type IncompleteFrame, type StreamFrame } from './gvsp';
import { GvspStream } from './gvsp-stream';
import { PacketPacer } from './packet-delay';
import { negotiatePacketSize } from './packet-size';

export interface AcquisitionOptions {
  /** Largest stream packet size (IP and UDP headers included); absent: the interface MTU. */
  packetSize?: number;
  pixelFormat?: MonoFormat;
  frameTimeoutMs: number;
}

/** After AcquisitionStop, how long the packets already sent get to arrive. */
const STOP_SETTLE_MS = 20;

const ipToU32 = (ip: string) => ip.split('.').reduce((v, b) => v * 256 + Number(b), 0);

export class GigeAcquisition {
  incompleteFrames = 0;
  readonly bitDepth: number;
  private seq = 0;
  private live = false;
  private failSnap: ((err: Error) => void) | null = null;
  private warnedBuffer = false;

  private constructor(
    private readonly control: GigeControl,
    private readonly receiver: GvspStream,
    private readonly format: MonoFormat,
    /** The negotiated stream packet size and how it was chosen. */
    readonly packet: { packetSize: number; how: string },
    private readonly canResend: boolean,
    /** Raises GevSCPD when the stream socket overflows during live. */
    readonly pacer: PacketPacer,
    private readonly opts: AcquisitionOptions,
    private readonly warn: (message: string) => void,
  ) {
    this.bitDepth = bitDepthOf(format);
  }

  static async open(
    control: GigeControl,
    host: string,
    opts: AcquisitionOptions,
    warn: (message: string) => void,
  ): Promise<GigeAcquisition> {
    const map = control.nodeMap;
    const offered = (await map.describe('PixelFormat')).entries ?? [];
    const format = opts.pixelFormat ?? MONO_PREFERENCE.find((f) => offered.includes(f));
    if (!format || !offered.includes(format))
      throw new StateError(
        `GigE camera ${control.gvcp.address}: pixel format ${format ?? '(monochrome)'} not offered; it has ${offered.join(', ')}`,
      );
    await map.setValue('PixelFormat', format);
    const gvcp = control.gvcp;
    const { packetSize, how } = await negotiatePacketSize(gvcp, { host, max: opts.packetSize });
    const receiver = await GvspStream.open({
      host,
      camera: { address: gvcp.address, port: gvcp.port },
    });
    try {
      await gvcp.writeReg(Bootstrap.scp0Destination, ipToU32(host));
      await gvcp.writeReg(Bootstrap.scp0Port, receiver.port);
      const canResend =
        ((await gvcp.readReg(Bootstrap.gvcpCapability)) & CAPABILITY_PACKET_RESEND) !== 0;
      if (packetSize <= GVSP_OVERHEAD)
        throw new StateError(
          `GigE camera ${gvcp.address}: stream packet size ${packetSize} is unusable`,
        );
      return new GigeAcquisition(
        control,
        receiver,
        format,
        { packetSize, how },
        canResend,
        await PacketPacer.open(gvcp, packetSize, warn),
        opts,
        warn,
      );
    } catch (err) {
      await receiver.close();
      throw err;
    }
  }

  /** Payload words are the 16-bit pixels themselves (no unpacking). */
  private get unpacked16(): boolean {
    return this.bitDepth > 8 && this.format !== 'Mono12Packed';
  }

  private get map(): NodeMap {
    return this.control.nodeMap;
  }

  isLive(): boolean {
    return this.live;
  }

  private async setIf(name: string, value: string | number): Promise<void> {
    if (!this.map.has(name)) return;
    const access = await this.map.access(name);
    if (access === 'RW' || access === 'WO') await this.map.setValue(name, value);
  }

  private async geometry(): Promise<{ width: number; height: number; payloadSize: number }> {
    const width = Number(await this.map.getValue('Width'));
    const height = Number(await this.map.getValue('Height'));
    const computed = payloadBytes(this.format, width * height);
    const payloadSize = this.map.has('PayloadSize')
      ? Number(await this.map.getValue('PayloadSize'))
      : computed;
    return { width, height, payloadSize: Math.max(payloadSize, computed) };
  }

  private begin(
    payloadSize: number,
    onFrame: (f: StreamFrame) => void,
    onIncomplete: (f: IncompleteFrame) => void,
    paced = false,
  ): void {
    if (payloadSize > this.receiver.bufferBytes && !this.warnedBuffer) {
      this.warnedBuffer = true;
      this.warn(
        `frames of ${payloadSize} B exceed the ${this.receiver.bufferBytes} B socket receive buffer (raise net.core.rmem_max); bursts may arrive incomplete`,
      );
    }
    this.receiver.start({
      payloadPerPacket: this.packet.packetSize - GVSP_OVERHEAD,
      payloadSize,
      frameTimeoutMs: this.opts.frameTimeoutMs,
      canResend: this.canResend,
      onFrame,
      onStats: paced ? (stats) => void this.pacer.onStats(stats) : undefined,
      onIncomplete: (f) => {
        this.incompleteFrames++;
        this.seq++;
        this.warn(
          `frame ${f.blockId} incomplete (${f.reason}, ${f.missingPackets} packets missing); not delivered`,
        );
        onIncomplete(f);
      },
    });
  }

  private toRaw(f: StreamFrame, exposureMs: number, binning: number, into?: ArrayBuffer): RawFrame {
    return {
      seq: this.seq++,
      widthPx: f.width,
      heightPx: f.height,
      pixels: toMono16(f.pixelFormat, f.data, f.width, f.height, into),
      timestampMs: Date.now(),
      exposureMs,
      binning,
    };
  }

  /** One frame: resolves null when it arrived incomplete. */
  async snap(
    into: ArrayBuffer | undefined,
    exposureMs: number,
    binning: number,
  ): Promise<RawFrame | null> {
    if (this.live)
      throw new StateError(
        `GigE camera ${this.control.gvcp.address}: live acquisition is running; stop it first`,
      );
    const software =
      this.map.has('TriggerSoftware') &&
      ((await this.map.describe('TriggerSource')).entries ?? []).includes('Software');
    await this.setIf('TriggerSelector', 'FrameStart');
    if (software) {
      await this.setIf('AcquisitionMode', 'Continuous');
      await this.map.setValue('TriggerMode', 'On');
      await this.map.setValue('TriggerSource', 'Software');
    } else {
      await this.setIf('TriggerMode', 'Off');
      await this.map.setValue('AcquisitionMode', 'SingleFrame');
    }
    const { payloadSize, width, height } = await this.geometry();
    const target = into && into.byteLength === width * height * 2 ? into : undefined;
    const waitMs = exposureMs + 2 * this.opts.frameTimeoutMs + 2_000;
    let timer: NodeJS.Timeout | undefined;
    const result = new Promise<RawFrame | null>((resolve, reject) => {
      this.failSnap = reject;
      timer = setTimeout(
        () =>
          reject(
            new TimeoutError(
              `GigE camera ${this.control.gvcp.address}: no frame within ${waitMs} ms of the trigger`,
            ),
          ),
        waitMs,
      );
      this.begin(
        payloadSize,
        (f) => {
          try {
            resolve(this.toRaw(f, exposureMs, binning, target));
          } catch (err) {
            reject(err as Error);
          }
        },
        () => resolve(null),
      );
    });
    try {
      await this.setIf('TLParamsLocked', 1);
      await this.map.execute('AcquisitionStart');
      if (software) await this.map.execute('TriggerSoftware');
      return await result;
    } finally {
      clearTimeout(timer);
      this.failSnap = null;
      this.receiver.stop();
      if (!this.control.isLost()) {
        await this.map.execute('AcquisitionStop').catch(() => undefined);
        await this.setIf('TLParamsLocked', 0).catch(() => undefined);
      }
    }
  }

  async startLive(
    onFrame: (frame: RawFrame) => void,
    exposureMs: number,
    binning: number,
  ): Promise<void> {
    if (this.live)
      throw new StateError(
        `GigE camera ${this.control.gvcp.address}: live acquisition is already running`,
      );
    await this.setIf('TriggerSelector', 'FrameStart');
    await this.setIf('TriggerMode', 'Off');
    await this.setIf('AcquisitionMode', 'Continuous');
    const { payloadSize } = await this.geometry();
    this.begin(
      payloadSize,
      (f) => {
        if (!this.live) return;
        // runs in the stream's message handler: nothing may escape it
        try {
          // 16-bit payloads become the frame's pixels in place (the buffer is this frame's own)
          const own = this.unpacked16 ? (f.data.buffer as ArrayBuffer) : undefined;
          onFrame(this.toRaw(f, exposureMs, binning, own));
        } catch (err) {
          this.warn(`live frame ${f.blockId} dropped: ${(err as Error).message}`);
        }
      },
      () => undefined,
      true,
    );
    this.live = true;
    await this.setIf('TLParamsLocked', 1);
    await this.map.execute('AcquisitionStart');
  }

  /**
   * Stops the camera first, then counts the frames still in flight as incomplete, so every
   * frame the camera started is either delivered or counted.
   */
  async stopLive(): Promise<void> {
    if (!this.live) return;
    if (!this.control.isLost()) {
      await this.map.execute('AcquisitionStop');
      // packets already sent may still sit in the socket buffer
      await new Promise((r) => setTimeout(r, STOP_SETTLE_MS));
      await this.receiver.flush();
    }
    this.live = false;
    this.receiver.stop();
    if (this.control.isLost()) return;
    await this.setIf('TLParamsLocked', 0);
  }

  /** The camera is gone: a snap in progress rejects with `err`, live ends. */
  fail(err: Error): void {
    this.live = false;
    this.receiver.stop();
    this.failSnap?.(err);
  }

  async close(): Promise<void> {
    if (this.live && !this.control.isLost()) await this.stopLive().catch(() => undefined);
    this.live = false;
    await this.receiver.close();
  }
}
