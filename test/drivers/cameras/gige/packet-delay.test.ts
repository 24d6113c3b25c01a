/** Packet delay (GevSCPD) from the stream thread's drain measurements, against a scripted camera. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Bootstrap, GvcpClient } from '../../../../drivers/cameras/gige/gvcp';
import {
  PacketPacer,
  packetDelayTicks,
  socketDrops,
} from '../../../../drivers/cameras/gige/packet-delay';
import { GvspReceiver } from '../../../../drivers/cameras/gige/gvsp';
import { startRegisterPeer, type RegisterPeer } from '../../../support/gvcp-register-peer';

describe('packet delay', () => {
  it('spaces packets so bursts arrive at 80 % of the drain rate, and none when the host keeps up', () => {
    // 8000 B packets drained at 100 MB/s arriving at 1 GB/s: 100 µs − 8 µs apart
    const ticks = packetDelayTicks(8000, { drainBytesPerS: 100e6, burstBytesPerS: 1e9 }, 1e9);
    expect(ticks).toBe(Math.ceil((8000 / 80e6 - 8000 / 1e9) * 1e9));
    expect(packetDelayTicks(8000, { drainBytesPerS: 2e9, burstBytesPerS: 1e9 }, 1e9)).toBe(0);
    expect(packetDelayTicks(8000, { drainBytesPerS: 0, burstBytesPerS: 1e9 }, 1e9)).toBe(0);
  });

  it.runIf(process.platform === 'linux')(
    'reads its own socket’s drops from /proc/net/udp',
    async () => {
      const rx = await GvspReceiver.open('127.0.0.1');
      try {
        expect(socketDrops(rx.port)).toBe(0);
      } finally {
        await rx.close();
      }
    },
  );

  describe('pacer', () => {
    let camera: RegisterPeer;
    let client: GvcpClient;
    const warnings: string[] = [];
    beforeEach(async () => {
      warnings.length = 0;
      camera = await startRegisterPeer();
      camera.regs.set(Bootstrap.tickFrequencyHigh, 0);
      camera.regs.set(Bootstrap.tickFrequencyLow, 1e9);
      client = await GvcpClient.open({ address: '127.0.0.1', port: camera.port, timeoutMs: 100 });
    });
    afterEach(async () => {
      await client.close();
      camera.close();
    });

    const slow = { drainBytesPerS: 100e6, burstBytesPerS: 1e9 };

    it('raises GevSCPD only after the socket dropped packets, never lowers it', async () => {
      const pacer = await PacketPacer.open(client, 8000, (m) => void warnings.push(m));
      await pacer.onStats({ ...slow, socketDrops: 5 }); // first reading: a baseline
      await pacer.onStats({ ...slow, socketDrops: 5 });
      expect(camera.regs.get(Bootstrap.scp0PacketDelay)).toBeUndefined();
      await pacer.onStats({ ...slow, socketDrops: 12 });
      const ticks = packetDelayTicks(8000, slow, 1e9);
      expect(camera.regs.get(Bootstrap.scp0PacketDelay)).toBe(ticks);
      expect(pacer.ticks).toBe(ticks);
      expect(warnings[0]).toMatch(
        /dropped 7 stream packets: packet delay \(GevSCPD\) set to \d+ ticks \(92\.0 µs\)/,
      );
      await pacer.onStats({ drainBytesPerS: 1e9, burstBytesPerS: 1e9, socketDrops: 20 });
      expect(camera.regs.get(Bootstrap.scp0PacketDelay)).toBe(ticks);
    });

    it('leaves a camera that refuses the register alone after one warning', async () => {
      let writes = 0;
      camera.onWrite = (address) => {
        if (address !== Bootstrap.scp0PacketDelay) return;
        writes++;
        return { status: 0x8001 }; // not implemented
      };
      const pacer = await PacketPacer.open(client, 8000, (m) => void warnings.push(m));
      await pacer.onStats({ ...slow, socketDrops: 0 });
      await pacer.onStats({ ...slow, socketDrops: 3 });
      await pacer.onStats({ ...slow, socketDrops: 9 });
      expect(writes).toBe(1);
      expect(warnings).toEqual([expect.stringMatching(/refused a packet delay .*not implemented/)]);
    });
  });
});
