/** GVSP reassembly with packets this test sends itself: order, loss, resend, lost trailer. */
import dgram from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GvspReceiver,
  type IncompleteFrame,
  type StreamFrame,
  type StreamSetup,
} from '../../../../drivers/cameras/gige/gvsp';
import { until } from '../../../support/wait';

const PER_PACKET = 100;
const PAYLOAD = 350; // 4 payload packets, the last one 50 bytes

function packet(blockId: number, type: number, packetId: number, body: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(blockId, 2);
  h.writeUInt32BE(((type & 0x7f) << 24) | packetId, 4);
  return Buffer.concat([h, body]);
}

function leader(blockId: number): Buffer {
  const b = Buffer.alloc(36);
  b.writeUInt16BE(1, 2); // image payload
  b.writeUInt32BE(0x01100007, 12);
  b.writeUInt32BE(25, 16); // 25 × 7 Mono16 = 350 bytes
  b.writeUInt32BE(7, 20);
  b.writeUInt32BE(3, 24);
  return packet(blockId, 1, 0, b);
}

const image = Buffer.from(Array.from({ length: PAYLOAD }, (_, i) => (i * 7) & 0xff));
const payload = (blockId: number, n: number) =>
  packet(blockId, 3, n, image.subarray((n - 1) * PER_PACKET, n * PER_PACKET));
const trailer = (blockId: number) => packet(blockId, 2, 5, Buffer.alloc(8));

describe('GVSP receiver', () => {
  let rx: GvspReceiver;
  let tx: dgram.Socket;
  let frames: StreamFrame[];
  let incomplete: IncompleteFrame[];
  let resends: [number, number, number][];
  const send = (...packets: Buffer[]) => {
    for (const p of packets) tx.send(p, rx.port, '127.0.0.1');
  };
  const start = (extra: Partial<StreamSetup> = {}) =>
    rx.start({
      payloadPerPacket: PER_PACKET,
      payloadSize: PAYLOAD,
      frameTimeoutMs: 150,
      onFrame: (f) => frames.push(f),
      onIncomplete: (f) => incomplete.push(f),
      ...extra,
    });

  beforeEach(async () => {
    rx = await GvspReceiver.open('127.0.0.1');
    tx = dgram.createSocket('udp4');
    frames = [];
    incomplete = [];
    resends = [];
  });
  afterEach(async () => {
    tx.close();
    await rx.close();
  });

  it('reassembles a frame from packets in any order, with leader geometry', async () => {
    start();
    send(payload(9, 3), trailer(9), payload(9, 1), leader(9), payload(9, 4), payload(9, 2));
    await until('a frame', () => frames.length === 1, 2_000);
    expect(frames[0]).toMatchObject({
      blockId: 9,
      pixelFormat: 0x01100007,
      width: 25,
      height: 7,
      offsetX: 3,
    });
    expect(frames[0]!.data.equals(image)).toBe(true);
    expect(incomplete).toEqual([]);
  });

  it('completes two frames whose packets interleave (the next leader before the trailer)', async () => {
    start();
    send(leader(10), payload(10, 1), payload(10, 2), leader(11), payload(11, 1), payload(10, 3));
    send(payload(11, 2), payload(11, 3), payload(10, 4), payload(11, 4), trailer(11), trailer(10));
    await until('two frames', () => frames.length === 2, 2_000);
    expect(frames.map((f) => f.blockId)).toEqual([11, 10]);
    expect(frames.every((f) => f.data.equals(image))).toBe(true);
    expect(incomplete).toEqual([]);
  });

  it('ignores duplicate and late packets of a finished frame', async () => {
    start();
    send(leader(2), payload(2, 1), payload(2, 2), payload(2, 3), payload(2, 4), trailer(2));
    await until('a frame', () => frames.length === 1, 2_000);
    send(payload(2, 3), trailer(2));
    await new Promise((r) => setTimeout(r, 300));
    expect(frames).toHaveLength(1);
    expect(incomplete).toEqual([]);
  });

  it('asks for missing packets once, in ranges, and completes when they come', async () => {
    start({
      resend: (block, first, last) => {
        resends.push([block, first, last]);
        for (let n = first; n <= last; n++) send(payload(block, n));
      },
    });
    send(leader(4), payload(4, 1), payload(4, 4), trailer(4));
    await until('a frame', () => frames.length === 1, 2_000);
    expect(resends).toEqual([[4, 2, 3]]);
    expect(frames[0]!.data.equals(image)).toBe(true);
  });

  it('reports a frame still missing packets after the resend wait, and never delivers it', async () => {
    start({ resend: (block, first, last) => void resends.push([block, first, last]) });
    send(leader(5), payload(5, 1), payload(5, 2), trailer(5));
    await until('an incomplete frame', () => incomplete.length === 1, 2_000);
    expect(resends).toEqual([[5, 3, 4]]);
    expect(incomplete[0]).toEqual({ blockId: 5, missingPackets: 2, reason: 'packets lost' });
    expect(frames).toEqual([]);
  });

  it('reports a frame whose trailer never came when the camera cannot resend', async () => {
    start();
    send(leader(6), payload(6, 1), payload(6, 2), payload(6, 3), payload(6, 4));
    await until('an incomplete frame', () => incomplete.length === 1, 2_000);
    expect(incomplete[0]).toEqual({ blockId: 6, missingPackets: 1, reason: 'trailer lost' });
    expect(frames).toEqual([]);
  });

  it('reassembles into the caller buffer it is given', async () => {
    const target = Buffer.from(new ArrayBuffer(PAYLOAD));
    start({ buffer: () => target });
    send(leader(7), payload(7, 1), payload(7, 2), payload(7, 3), payload(7, 4), trailer(7));
    await until('a frame', () => frames.length === 1, 2_000);
    expect(frames[0]!.data.buffer).toBe(target.buffer);
    expect(target.equals(image)).toBe(true);
  });

  it('reports block ids skipped between frames as frames lost whole, and ignores older blocks', async () => {
    start();
    const whole = (b: number) => [
      leader(b),
      payload(b, 1),
      payload(b, 2),
      payload(b, 3),
      payload(b, 4),
      trailer(b),
    ];
    send(...whole(0xfffe));
    await until('a frame', () => frames.length === 1, 2_000);
    send(...whole(2)); // 0xffff and 1 never came (0 is not a block id)
    await until('a second frame', () => frames.length === 2, 2_000);
    expect(incomplete).toEqual([
      { blockId: 0xffff, missingPackets: 6, reason: 'frame lost' },
      { blockId: 1, missingPackets: 6, reason: 'frame lost' },
    ]);
    send(...whole(1)); // late: given up on already
    await new Promise((r) => setTimeout(r, 300));
    expect(frames.map((f) => f.blockId)).toEqual([0xfffe, 2]);
    expect(incomplete).toHaveLength(2);
  });

  it('counts every frame of a long run of skipped block ids as lost, across the wrap', async () => {
    start();
    const whole = (b: number) => [
      leader(b),
      payload(b, 1),
      payload(b, 2),
      payload(b, 3),
      payload(b, 4),
      trailer(b),
    ];
    send(...whole(0xffc0));
    await until('a frame', () => frames.length === 1, 2_000);
    send(...whole(100)); // 0xffc1..0xffff and 1..99 never came: 63 + 99 frames
    await until('a second frame', () => frames.length === 2, 2_000);
    const lost = incomplete.map((f) => f.blockId);
    expect(lost).toHaveLength(162);
    expect(lost[0]).toBe(0xffc1);
    expect(lost[62]).toBe(0xffff);
    expect(lost[63]).toBe(1);
    expect(lost[161]).toBe(99);
    expect(incomplete.every((f) => f.reason === 'frame lost')).toBe(true);
  });

  it('flush reports the frames in flight as stopped, and later packets start a new frame', async () => {
    start();
    send(leader(8), payload(8, 1));
    await new Promise((r) => setTimeout(r, 50));
    rx.flush();
    expect(incomplete).toEqual([{ blockId: 8, missingPackets: 4, reason: 'stopped' }]);
    expect(frames).toEqual([]);
  });
});
