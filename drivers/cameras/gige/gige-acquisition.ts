/**
 * Stream channel 0 of a GigE Vision camera as a GenICam FrameStream: SCP setup
 * (destination, port, packet size read back as negotiated) and GVSP reception with packet
 * resend requests when the camera offers them. SFNC acquisition (pixel format, trigger,
 * snap / live) is transport-neutral: genicam/genicam-acquisition.ts.
 */
import { StateError } from '../../errors';
import type { FrameStream, StreamStart } from '../genicam/transport';
import type { GigeControl } from './gige-control';
import { Bootstrap, CAPABILITY_PACKET_RESEND, Cmd } from './gvcp';
import { GVSP_OVERHEAD, GvspReceiver } from './gvsp';

export interface AcquisitionOptions {
  packetSize: number;
  frameTimeoutMs: number;
}

const ipToU32 = (ip: string) => ip.split('.').reduce((v, b) => v * 256 + Number(b), 0);

export class GigeAcquisition implements FrameStream {
  private warnedBuffer = false;

  private constructor(
    private readonly control: GigeControl,
    private readonly receiver: GvspReceiver,
    private readonly payloadPerPacket: number,
    private readonly canResend: boolean,
    private readonly opts: AcquisitionOptions,
    private readonly warn: (message: string) => void,
  ) {}

  static async open(
    control: GigeControl,
    host: string,
    opts: AcquisitionOptions,
    warn: (message: string) => void,
  ): Promise<GigeAcquisition> {
    const receiver = await GvspReceiver.open(host);
    try {
      const gvcp = control.gvcp;
      await gvcp.writeReg(Bootstrap.scp0Destination, ipToU32(host));
      await gvcp.writeReg(Bootstrap.scp0Port, receiver.port);
      await gvcp.writeReg(Bootstrap.scp0PacketSize, opts.packetSize);
      const packetSize = (await gvcp.readReg(Bootstrap.scp0PacketSize)) & 0xffff;
      const canResend =
        ((await gvcp.readReg(Bootstrap.gvcpCapability)) & CAPABILITY_PACKET_RESEND) !== 0;
      if (packetSize <= GVSP_OVERHEAD)
        throw new StateError(
          `GigE camera ${gvcp.address}: stream packet size ${packetSize} is unusable`,
        );
      return new GigeAcquisition(
        control,
        receiver,
        packetSize - GVSP_OVERHEAD,
        canResend,
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
      payloadPerPacket: this.payloadPerPacket,
      payloadSize: s.payloadSize,
      frameTimeoutMs: this.opts.frameTimeoutMs,
      buffer: s.buffer,
      resend: this.canResend ? (block, first, last) => this.resend(block, first, last) : undefined,
      onFrame: s.onFrame,
      onIncomplete: s.onIncomplete,
    });
  }

  private resend(blockId: number, first: number, last: number): void {
    const p = Buffer.alloc(12);
    p.writeUInt32BE(blockId, 0);
    p.writeUInt32BE(first, 4);
    p.writeUInt32BE(last, 8);
    this.control.gvcp.send(Cmd.packetResend, p);
  }

  async stop(): Promise<void> {
    this.receiver.stop();
  }

  async close(): Promise<void> {
    await this.receiver.close();
  }
}
