/** The stream thread: frames reassembled off the main thread, resend requests sent to the camera's GVCP port. */
import dgram from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncompleteFrame, StreamFrame } from '../../../../drivers/cameras/gige/gvsp';
import { GvspStream } from '../../../../drivers/cameras/gige/gvsp-stream';
import { liveWorkers } from '../../../../drivers/workers';
import { until } from '../../../support/wait';

function packet(blockId: number, type: number, packetId: number, body: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(blockId, 2);
  h.writeUInt32BE(((type & 0x7f) << 24) | packetId, 4);
  return Buffer.concat([h, body]);
}
const leader = (blockId: number) => {
  const b = Buffer.alloc(36);
  b.writeUInt16BE(1, 2);
  b.writeUInt32BE(0x01100007, 12); // Mono16
  b.writeUInt32BE(4, 16);
  b.writeUInt32BE(2, 20);
  return packet(blockId, 1, 0, b);
};
const image = Buffer.from(Array.from({ length: 16 }, (_, i) => i + 1));
const payload = (b: number, n: number) => packet(b, 3, n, image.subarray((n - 1) * 8, n * 8));
const trailer = (b: number) => packet(b, 2, 3, Buffer.alloc(8));

describe('GVSP stream thread', () => {
  let camera: dgram.Socket;
  let stream: GvspStream;
  let resendRequests: Buffer[];
  const send = (...ps: Buffer[]) => {
    for (const p of ps) camera.send(p, stream.port, '127.0.0.1');
  };

  beforeEach(async () => {
    resendRequests = [];
    camera = dgram.createSocket('udp4');
    camera.on('message', (m) => resendRequests.push(m));
    await new Promise<void>((r) => camera.bind(0, '127.0.0.1', r));
    stream = await GvspStream.open({
      host: '127.0.0.1',
      camera: { address: '127.0.0.1', port: camera.address().port },
    });
  });
  afterEach(async () => {
    await stream.close();
    camera.close();
  });

  it('delivers frames in buffers of their own and asks the camera to resend missing packets', async () => {
    const frames: StreamFrame[] = [];
    const incomplete: IncompleteFrame[] = [];
    stream.start({
      payloadPerPacket: 8,
      payloadSize: 16,
      frameTimeoutMs: 200,
      canResend: true,
      onFrame: (f) => frames.push(f),
      onIncomplete: (f) => incomplete.push(f),
    });
    send(leader(3), payload(3, 1), payload(3, 2), trailer(3));
    await until('a frame', () => frames.length === 1, 5_000);
    expect(frames[0]).toMatchObject({ blockId: 3, width: 4, height: 2 });
    expect(frames[0]!.data.equals(image)).toBe(true);
    expect(frames[0]!.data.buffer.byteLength).toBe(16);

    send(leader(4), payload(4, 1), trailer(4)); // packet 2 lost
    await until('a resend request', () => resendRequests.length === 1, 5_000);
    const r = resendRequests[0]!;
    // GVCP PACKETRESEND_CMD (0x40), no acknowledge asked, block 4, packets 2..2
    expect([r.readUInt8(0), r.readUInt8(1), r.readUInt16BE(2)]).toEqual([0x42, 0, 0x40]);
    expect([r.readUInt32BE(8), r.readUInt32BE(12), r.readUInt32BE(16)]).toEqual([4, 2, 2]);
    send(payload(4, 2));
    await until('the resent frame', () => frames.length === 2, 5_000);
    expect(incomplete).toEqual([]);
  });

  it('drops frames of an earlier start and reports incomplete ones of the current', async () => {
    const frames: StreamFrame[] = [];
    const incomplete: IncompleteFrame[] = [];
    const setup = {
      payloadPerPacket: 8,
      payloadSize: 16,
      frameTimeoutMs: 100,
      canResend: false,
      onFrame: (f: StreamFrame) => frames.push(f),
      onIncomplete: (f: IncompleteFrame) => incomplete.push(f),
    };
    stream.start(setup);
    stream.stop();
    send(leader(5), payload(5, 1), payload(5, 2), trailer(5));
    await new Promise((r) => setTimeout(r, 200));
    expect(frames).toEqual([]);
    stream.start(setup);
    send(leader(6), payload(6, 1));
    await until('an incomplete frame', () => incomplete.length === 1, 5_000);
    expect(incomplete[0]).toMatchObject({ blockId: 6, reason: 'trailer lost' });
    expect(frames).toEqual([]);
  });

  it('fails to open with a typed error when the stream address is not local, and leaves no thread', async () => {
    const before = liveWorkers().length;
    // binding only: 192.0.2.1 (TEST-NET-1) is no address of this machine, nothing is sent
    await expect(
      GvspStream.open({ host: '192.0.2.1', camera: { address: '127.0.0.1', port: 9 } }),
    ).rejects.toMatchObject({
      code: 'E_DISCONNECTED',
      message: expect.stringMatching(/GVSP stream socket on 192\.0\.2\.1: .*EADDRNOTAVAIL/),
    });
    await until('the thread gone', () => liveWorkers().length === before, 5_000);
  });
});
