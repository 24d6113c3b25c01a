/** Packet size negotiation against a scripted camera that fires test packets up to a path limit. */
import dgram from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Bootstrap, GvcpClient } from '../../../../drivers/cameras/gige/gvcp';
import {
  MAX_PACKET,
  interfaceMtu,
  negotiatePacketSize,
} from '../../../../drivers/cameras/gige/packet-size';
import { startRegisterPeer, type RegisterPeer } from '../../../support/gvcp-register-peer';

describe('stream packet size negotiation', () => {
  let camera: RegisterPeer;
  let client: GvcpClient;
  let fire: dgram.Socket;
  /** Largest test packet the scripted path lets through; 0: the camera fires none. */
  let pathLimit: number;
  let fired: number[];

  beforeEach(async () => {
    fired = [];
    fire = dgram.createSocket('udp4');
    camera = await startRegisterPeer();
    camera.onWrite = (address, value) => {
      if (address !== Bootstrap.scp0PacketSize) return;
      const size = value & 0xffff;
      if (value & 0x80000000 && pathLimit) {
        fired.push(size);
        if (size <= pathLimit)
          fire.send(Buffer.alloc(size - 28), camera.regs.get(Bootstrap.scp0Port)!, '127.0.0.1');
      }
      return { value: size }; // a camera keeps only the size bits of SCPS
    };
    client = await GvcpClient.open({ address: '127.0.0.1', port: camera.port });
  });
  afterEach(async () => {
    await client.close();
    camera.close();
    fire.close();
  });

  it('finds the largest test packet that arrives, and leaves SCPS at it', async () => {
    pathLimit = 9000;
    const choice = await negotiatePacketSize(client, { host: '127.0.0.1', probeMs: 80 });
    expect(choice.packetSize).toBeLessThanOrEqual(9000);
    expect(choice.packetSize).toBeGreaterThan(9000 - 8);
    expect(choice.how).toMatch(/largest test packet that arrived/);
    expect(camera.regs.get(Bootstrap.scp0PacketSize)).toBe(choice.packetSize);
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
