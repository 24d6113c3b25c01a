/**
 * The streaming interface of a USB3 Vision device as a GenICam FrameStream. start() sizes
 * the transfers in the SIRM (payload transfers of `transferSize` rounded to the device's
 * alignment, then up to two final transfers for the rest; leader and trailer at the sizes
 * the device requires), enables the stream and reads blocks: leader, payload transfers,
 * trailer. stop() (after AcquisitionStop) lets the block in flight finish, then disables
 * the stream. A block whose transfers fail, end early, or whose trailer reports a non-zero
 * status or a short valid payload is incomplete: reported, never delivered; so are the
 * blocks whose ids were skipped between two leaders of one start() (lost whole). A stalled
 * endpoint is cleared and reading resumes at the next leader. USB NO_DEVICE ends the
 * stream (the control channel reports the loss).
 */
import { StateError } from '../../errors';
import type { FrameStream, StreamStart } from '../genicam/transport';
import { SIRM_STREAM_ENABLE, Sirm } from './bootstrap';
import type { U3vControl } from './u3v-control';
import { decodeLeader, decodeTrailer, isLeader, isTrailer, type Leader } from './uvsp';
import { UsbTransferError } from './usb-transport';

export interface U3vStreamOptions {
  /** Bytes per payload transfer (rounded down to the device's alignment). */
  transferSize: number;
  /** How long one transfer inside a block may take before the block counts incomplete. */
  frameTimeoutMs: number;
  /** Between blocks, reads wait this long before checking whether the stream was stopped. */
  pollMs: number;
  /** Told when reception ends on an unexpected error. */
  warn: (message: string) => void;
}

/** Block ids skipped by at most this many count as lost blocks; a larger jump is a restart. */
const MAX_BLOCK_GAP = 64;

interface Layout {
  payload: number;
  leader: number;
  trailer: number;
  /** Lengths of the payload transfers in order. */
  transfers: number[];
}

export class U3vStream implements FrameStream {
  /** What the reader delivers to; null when stopped. */
  private session: { layout: Layout; setup: StreamStart; lastBlockId?: number } | null = null;
  private loop: Promise<void> | null = null;
  private inBlock: Promise<void> | null = null;

  constructor(
    private readonly control: U3vControl,
    private readonly sirm: number,
    private readonly opts: U3vStreamOptions,
  ) {}

  private async configure(): Promise<Layout> {
    const c = this.control;
    const s = this.sirm;
    const align = 2 ** ((await c.readU32(s + Sirm.info)) >>> 24);
    const payload = await c.readU64(s + Sirm.requiredPayloadSize);
    const leader = await c.readU32(s + Sirm.requiredLeaderSize);
    const trailer = await c.readU32(s + Sirm.requiredTrailerSize);
    if (payload < 1 || leader < 1 || trailer < 1)
      throw new StateError(
        `${c.label}: the device requires payload ${payload}, leader ${leader}, trailer ${trailer} bytes`,
      );
    const size = Math.max(
      align,
      Math.floor(Math.min(this.opts.transferSize, payload) / align) * align,
    );
    const count = Math.floor(payload / size);
    const rest = payload - count * size;
    const final1 = Math.floor(rest / align) * align;
    const final2 = rest > final1 ? align : 0;
    await c.writeU32(s + Sirm.maxLeaderSize, leader);
    await c.writeU32(s + Sirm.maxTrailerSize, trailer);
    await c.writeU32(s + Sirm.payloadTransferSize, size);
    await c.writeU32(s + Sirm.payloadTransferCount, count);
    await c.writeU32(s + Sirm.finalTransfer1Size, final1);
    await c.writeU32(s + Sirm.finalTransfer2Size, final2);
    const transfers = Array<number>(count).fill(size);
    if (final1) transfers.push(final1);
    if (final2) transfers.push(final2);
    return { payload, leader, trailer, transfers };
  }

  async start(setup: StreamStart): Promise<void> {
    await this.inBlock?.catch(() => undefined);
    const layout = await this.configure();
    await this.control.writeU32(this.sirm + Sirm.control, SIRM_STREAM_ENABLE);
    this.session = { layout, setup };
    // one reader for the life of the stream: a restart reuses the read already waiting
    this.loop ??= this.run()
      .catch((err: Error) => {
        this.session = null;
        this.opts.warn(`stream reception stopped: ${err.message}`);
      })
      .finally(() => (this.loop = null));
  }

  private read(length: number, timeoutMs: number): Promise<Buffer> {
    return this.control.link.transferIn('stream', length, timeoutMs);
  }

  private async run(): Promise<void> {
    for (let cur = this.session; cur; cur = this.session) {
      let leader: Leader | null = null;
      try {
        const raw = await this.read(cur.layout.leader, this.opts.pollMs);
        leader = decodeLeader(raw);
        if (!leader) continue; // not at a block start: resynchronise on the next leader
        // a restart while this read waited: the block belongs to the new session
        cur = this.session ?? cur;
        this.reportSkipped(cur, leader.blockId);
        this.inBlock = this.block(leader, cur.layout, cur.setup);
        await this.inBlock;
      } catch (err) {
        if (!(err instanceof UsbTransferError)) throw err;
        if (err.status === 'timeout' && !leader) continue;
        // the loss is reported first, so a snap waiting for this block fails as disconnected
        if (err.status === 'no-device') this.control.usbError(err, 'streaming');
        if (leader)
          cur.setup.onIncomplete({
            blockId: leader.blockId,
            reason: `USB ${err.status}: ${err.message}`,
          });
        if (err.status === 'no-device') {
          this.session = null;
          return;
        }
        if (err.status === 'stall')
          await this.control.link.clearHalt('stream').catch(() => undefined);
      } finally {
        this.inBlock = null;
      }
    }
  }

  /** Reports the blocks between the last leader of this start() and `blockId` as lost. */
  private reportSkipped(cur: NonNullable<U3vStream['session']>, blockId: number): void {
    const last = cur.lastBlockId;
    cur.lastBlockId = blockId;
    if (last === undefined || blockId - last > MAX_BLOCK_GAP) return;
    for (let id = last + 1; id < blockId; id++)
      cur.setup.onIncomplete({ blockId: id, reason: 'frame lost' });
  }

  private async block(leader: Leader, layout: Layout, s: StreamStart): Promise<void> {
    const target = s.buffer();
    const data = target.length >= layout.payload ? target : Buffer.alloc(layout.payload);
    let at = 0;
    let trailerRaw: Buffer | null = null;
    for (const length of layout.transfers) {
      const part = await this.read(length, this.opts.frameTimeoutMs);
      if (isTrailer(part) && part.length <= layout.trailer) {
        trailerRaw = part; // the device ended the block early
        break;
      }
      if (isLeader(part)) {
        s.onIncomplete({ blockId: leader.blockId, reason: 'next leader before the trailer' });
        return;
      }
      part.copy(data, at, 0, Math.min(part.length, data.length - at));
      at += part.length;
      if (part.length < length) break; // short transfer: the trailer follows
    }
    trailerRaw ??= await this.read(layout.trailer, this.opts.frameTimeoutMs);
    const trailer = decodeTrailer(trailerRaw);
    if (!trailer || trailer.blockId !== leader.blockId)
      return s.onIncomplete({ blockId: leader.blockId, reason: 'trailer missing or garbled' });
    if (trailer.status !== 0)
      return s.onIncomplete({
        blockId: leader.blockId,
        reason: `trailer status 0x${trailer.status.toString(16)}`,
      });
    // the image the leader announces (PFNC codes carry bits per pixel in bits 23..16)
    const bits = (leader.pixelFormat >>> 16) & 0xff;
    const needed = Math.ceil((leader.width * leader.height * bits) / 8);
    if (trailer.validPayloadSize < needed || at < needed)
      return s.onIncomplete({
        blockId: leader.blockId,
        reason: `${Math.min(at, trailer.validPayloadSize)} of ${needed} image bytes`,
      });
    s.onFrame({
      blockId: leader.blockId,
      pixelFormat: leader.pixelFormat,
      width: leader.width,
      height: leader.height,
      data,
    });
  }

  /** Finishes the block in flight (delivered or counted), then disables the stream. */
  async stop(): Promise<void> {
    this.session = null;
    await this.inBlock?.catch(() => undefined);
    if (!this.control.isLost())
      await this.control.writeU32(this.sirm + Sirm.control, 0).catch(() => undefined);
  }

  /** Stops, and waits for the reader to end (its last read times out within pollMs). */
  async close(): Promise<void> {
    await this.stop();
    await this.loop;
  }
}
