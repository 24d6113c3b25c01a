/** GVCP client against a scripted UDP responder: ids, retries, pending acks, status codes. */
import dgram from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cmd, GvcpClient } from '../../../../drivers/cameras/gige/gvcp';

type Reply = (cmd: { command: number; id: number; payload: Buffer }) => Buffer[] | null;

function ack(status: number, answer: number, id: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(status, 0);
  h.writeUInt16BE(answer, 2);
  h.writeUInt16BE(payload.length, 4);
  h.writeUInt16BE(id, 6);
  return Buffer.concat([h, payload]);
}

const value = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v);
  return b;
};

describe('GVCP client', () => {
  let device: dgram.Socket;
  let seen: { command: number; id: number }[];
  let from: dgram.RemoteInfo;
  let reply: Reply;
  let client: GvcpClient;

  beforeEach(async () => {
    seen = [];
    device = dgram.createSocket('udp4');
    device.on('message', (msg, rinfo) => {
      from = rinfo;
      const cmd = {
        command: msg.readUInt16BE(2),
        id: msg.readUInt16BE(6),
        payload: msg.subarray(8),
      };
      seen.push({ command: cmd.command, id: cmd.id });
      for (const out of reply(cmd) ?? []) device.send(out, from.port, from.address);
    });
    await new Promise<void>((r) => device.bind(0, '127.0.0.1', r));
    client = await GvcpClient.open({
      address: '127.0.0.1',
      port: device.address().port,
      timeoutMs: 100,
      retries: 2,
    });
  });
  afterEach(async () => {
    await client.close();
    device.close();
  });

  it('retries an unanswered command with the same request id, ignoring acks for other ids', async () => {
    let n = 0;
    reply = (c) =>
      ++n < 3
        ? null
        : [
            ack(0, c.command + 1, c.id + 7, value(1)),
            ack(0, c.command + 1, c.id, value(0xdeadbeef)),
          ];
    expect(await client.readReg(0x938)).toBe(0xdeadbeef);
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.id)).size).toBe(1);
    expect(seen[0]!.id).not.toBe(0);
    reply = (c) => [ack(0, c.command + 1, c.id, value(5))];
    await client.readReg(0);
    expect(seen[3]!.id).toBe(seen[0]!.id + 1);
  });

  it('gives up after the bounded retries with E_TIMEOUT naming the command', async () => {
    reply = () => null;
    const t0 = Date.now();
    await expect(client.readReg(0x0a00)).rejects.toMatchObject({
      code: 'E_TIMEOUT',
      message: expect.stringMatching(/no answer to READREG 0xa00 after 3 attempts of 100 ms/),
    });
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(seen).toHaveLength(3);
  });

  it('waits longer after a PENDING_ACK', async () => {
    reply = (c) => {
      const pending = Buffer.alloc(4);
      pending.writeUInt16BE(400, 2);
      setTimeout(
        () => device.send(ack(0, c.command + 1, c.id, Buffer.alloc(4)), from.port, from.address),
        300,
      );
      return [ack(0, Cmd.pendingAck, c.id, pending)];
    };
    await client.writeReg(0x100, 5);
    expect(seen).toHaveLength(1);
  });

  it('reports device status codes as E_DEVICE with their meaning', async () => {
    reply = (c) => [ack(0x8003, c.command + 1, c.id, Buffer.alloc(0))];
    await expect(client.writeReg(0x99999, 1)).rejects.toMatchObject({
      code: 'E_DEVICE',
      message: expect.stringMatching(/WRITEREG 0x99999 failed: invalid address \(0x8003\)/),
    });
  });

  it('splits READMEM into aligned 512-byte requests and returns exactly the range asked for', async () => {
    const mem = Buffer.from(Array.from({ length: 2048 }, (_, i) => i & 0xff));
    reply = (c) => {
      const a = c.payload.readUInt32BE(0);
      const n = c.payload.readUInt32BE(4) & 0xffff;
      return [
        ack(
          0,
          c.command + 1,
          c.id,
          Buffer.concat([c.payload.subarray(0, 4), mem.subarray(a, a + n)]),
        ),
      ];
    };
    const got = await client.readMem(3, 1000);
    expect(got.equals(mem.subarray(3, 1003))).toBe(true);
    expect(seen.map((s) => s.command)).toEqual([Cmd.readMem, Cmd.readMem]);
  });
});
