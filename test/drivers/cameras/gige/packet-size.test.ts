/** Packet size negotiation against a scripted camera that fires test packets up to a path limit. */
import dgram from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Bootstrap, GvcpClient } from '../../../../drivers/cameras/gige/gvcp';
import {
  MAX_PACKET,
  interfaceMtu,
  negotiatePacketSize,
} from '../../../../drivers/cameras/gige/packet-size';

describe('stream packet size negotiation', () => {
  let camera: dgram.Socket;
  let client: GvcpClient;
  let regs: Map<number, number>;
  /** Largest test packet the scripted path lets through; 0: the camera fires none. */
  let pathLimit: number;
  let fired: number[];

  beforeEach(async () => {
    regs = new Map();
    fired = [];
    camera = dgram.createSocket('udp4');
    camera.on('message', (msg, from) => {
      const command = msg.readUInt16BE(2);
      const id = msg.readUInt16BE(6);
      const address = msg.readUInt32BE(8);
      const answer = Buffer.alloc(12);
      answer.writeUInt16BE(command + 1, 2);
      answer.writeUInt16BE(id, 6);
      if (command === 0x82) {
        const value = msg.readUInt32BE(12);
        regs.set(address, value);
        answer.writeUInt16BE(4, 4);
        if (address === Bootstrap.scp0PacketSize && value & 0x80000000 && pathLimit) {
          const size = value & 0xffff;
          fired.push(size);
          if (size <= pathLimit)
            camera.send(Buffer.alloc(size - 28), regs.get(Bootstrap.scp0Port)!, '127.0.0.1');
        }
        // a camera keeps only the size bits of SCPS
        if (address === Bootstrap.scp0PacketSize) regs.set(address, value & 0xffff);
      } else {
        answer.writeUInt16BE(4, 4);
        answer.writeUInt32BE(regs.get(address) ?? 0, 8);
      }
      camera.send(answer.subarray(0, 12), from.port, from.address);
    });
    await new Promise<void>((r) => camera.bind(0, '127.0.0.1', r));
    client = await GvcpClient.open({ address: '127.0.0.1', port: camera.address().port });
  });
  afterEach(async () => {
    await client.close();
    camera.close();
  });

  it('finds the largest test packet that arrives, and leaves SCPS at it', async () => {
    pathLimit = 9000;
    const choice = await negotiatePacketSize(client, { host: '127.0.0.1', probeMs: 80 });
    expect(choice.packetSize).toBeLessThanOrEqual(9000);
    expect(choice.packetSize).toBeGreaterThan(9000 - 8);
    expect(choice.how).toMatch(/largest test packet that arrived/);
    expect(regs.get(Bootstrap.scp0PacketSize)).toBe(choice.packetSize);
    expect(fired.length).toBeGreaterThan(3); // a search, not one probe
  });

  it('takes the bound at once when a test packet of that size arrives', async () => {
    pathLimit = 65_535;
    const choice = await negotiatePacketSize(client, { host: '127.0.0.1', max: 8000 });
    expect(choice).toMatchObject({
      packetSize: 8000,
      how: expect.stringMatching(/configured 8000/),
    });
    expect(fired).toEqual([8000]);
  });

  it('uses the interface MTU bound when the camera fires no test packets', async () => {
    pathLimit = 0;
    const choice = await negotiatePacketSize(client, { host: '127.0.0.1', probeMs: 50 });
    const mtu = interfaceMtu('127.0.0.1');
    expect(choice.packetSize).toBe(Math.min(mtu ?? 1500, MAX_PACKET));
    expect(choice.how).toMatch(/sends no test packets/);
  });
});
