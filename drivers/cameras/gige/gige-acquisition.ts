/**
 * Stream channel 0 of a GigE Vision camera as a GenICam FrameStream: SCP setup (packet size
 * negotiated, destination, port) and GVSP reception on a thread of its own (GvspStream), with
 * packet resend requests when the camera offers them and the packet delay raised when the
 * socket buffer overflows. Frames arrive in buffers of their own (transferred from the stream
 * thread, no copy), so `StreamStart.buffer` is not used. SFNC acquisition (pixel format,
 * trigger, snap / live) is transport-neutral: genicam/genicam-acquisition.ts.
 */
import { StateError } from '../../errors';
import type { FrameStream, StreamStart } from '../genicam/transport';
import type { GigeControl } from './gige-control';
import { Bootstrap, CAPABILITY_PACKET_RESEND } from './gvcp';
import { GVSP_OVERHEAD } from './gvsp';
import { GvspStream } from './gvsp-stream';
import { PacketPacer } from './packet-delay';
import { negotiatePacketSize } from './packet-size';

export interface AcquisitionOptions {
  /** Largest stream packet size (IP and UDP headers included); absent: the interface MTU. */
  packetSize?: number;
  frameTimeoutMs: number;
}

/** After AcquisitionStop, how long the packets already sent get to arrive. */
const STOP_SETTLE_MS = 20;

const ipToU32 = (ip: string) => ip.split('.').reduce((v, b) => v * 256 + Number(b), 0);

export class GigeAcquisition implements FrameStream {
  private warnedBuffer = false;

  private constructor(
    private readonly control: GigeControl,
    private readonly receiver: GvspStream,
    /** The negotiated stream packet size and how it was chosen. */
    readonly packet: { packetSize: number; how: string },
    private readonly canResend: boolean,
    /** Raises GevSCPD when the stream socket overflows. */
    readonly pacer: PacketPacer,
    private readonly opts: AcquisitionOptions,
    private readonly warn: (message: string) => void,
  ) {}

  static async open(
    control: GigeControl,
    host: string,
    opts: AcquisitionOptions,
    warn: (message: string) => void,
  ): Promise<GigeAcquisition> {
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

  async start(s: StreamStart): Promise<void> {
    if (s.payloadSize > this.receiver.bufferBytes && !this.warnedBuffer) {
      this.warnedBuffer = true;
      this.warn(
        `frames of ${s.payloadSize} B exceed the ${this.receiver.bufferBytes} B socket receive buffer (raise net.core.rmem_max); bursts may arrive incomplete`,
      );
    }
    this.receiver.start({
      payloadPerPacket: this.packet.packetSize - GVSP_OVERHEAD,
      payloadSize: s.payloadSize,
      frameTimeoutMs: this.opts.frameTimeoutMs,
      canResend: this.canResend,
      onFrame: s.onFrame,
      onIncomplete: s.onIncomplete,
      onStats: (stats) => void this.pacer.onStats(stats),
    });
  }

  /**
   * Waits for the packets already sent to arrive, reports the frames still in flight as
   * incomplete, then stops. A lost camera sends nothing more: it just stops.
   */
  async stop(): Promise<void> {
    if (!this.control.isLost()) {
      await new Promise((r) => setTimeout(r, STOP_SETTLE_MS));
      await this.receiver.flush();
    }
    this.receiver.stop();
  }

  async close(): Promise<void> {
    await this.receiver.close();
  }
}
