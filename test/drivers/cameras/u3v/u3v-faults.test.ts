/** The usb3-vision driver against simulator faults: slow commands, bad acks, stalls, unplug. */
import { describe, expect, it } from 'vitest';
import type { DeviceEvent, RawFrame } from '../../../../drivers/devices';
import { Reg } from '../../../../drivers/cameras/u3v/sim/u3v-sim-xml';
import { SimU3vBus } from '../../../../drivers/cameras/u3v/sim/u3v-sim-bus';
import { U3vCamera } from '../../../../drivers/cameras/u3v/u3v-camera';
import { until } from '../../../support/wait';

const logs: string[] = [];
const ctx = { log: (_level: string, message: string) => void logs.push(message) };

async function connected(options: Record<string, unknown> = {}) {
  const bus = new SimU3vBus();
  const port = bus.plug({ serial: 'F1', sensor: { width: 320, height: 240 }, responseTimeMs: 20 });
  const cam = new U3vCamera('u3v', { timeoutMs: 50, transferSize: 4096, ...options }, ctx, bus);
  const events: DeviceEvent[] = [];
  cam.subscribe((e) => events.push(e));
  await cam.connect();
  const disconnected = () =>
    events.find((e) => e.type === 'connection' && e.state === 'disconnected' && e.error);
  return { bus, port, cam, events, disconnected };
}

describe('usb3-vision faults (simulator)', () => {
  it('waits for an ack announced by PENDING_ACK beyond the normal response time', async () => {
    const { port, cam } = await connected();
    try {
      port.device.pendingAckMs = 300; // AcquisitionStart answers PENDING_ACK, then acks 300 ms later
      const t0 = Date.now();
      const f = await cam.snap();
      expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
      expect(f.pixels).toHaveLength(320 * 240);
    } finally {
      await cam.disconnect();
    }
  });

  it('retries a command whose ack came back garbled or short, and fails typed without retries', async () => {
    const { port, cam } = await connected({ retries: 1 });
    try {
      for (const fault of ['garbled', 'short'] as const) {
        const before = port.device.commands;
        port.device.corruptNextAck = fault;
        await cam.setFeature('Gain', 3);
        expect(await cam.getFeature('Gain')).toBe(3);
        expect(port.device.commands - before).toBeGreaterThanOrEqual(2); // the write went twice
      }
    } finally {
      await cam.disconnect();
    }
    const strict = await connected({ retries: 0 });
    try {
      strict.port.device.corruptNextAck = 'garbled';
      await expect(strict.cam.setFeature('Gain', 4)).rejects.toMatchObject({
        code: 'E_PROTOCOL',
        message: expect.stringMatching(/not a GenCP packet/),
      });
      await strict.cam.setFeature('Gain', 5); // the next command works
      expect(await strict.cam.getFeature('Gain')).toBe(5);
    } finally {
      await strict.cam.disconnect();
    }
  });

  it('clears a stalled control or streaming endpoint and carries on', async () => {
    const { port, cam } = await connected();
    try {
      port.stall('control');
      await cam.setFeature('Gain', 2);
      expect(await cam.getFeature('Gain')).toBe(2);
      await cam.setRoi({ xPx: 0, yPx: 0, widthPx: 64, heightPx: 8 });
      const frames: RawFrame[] = [];
      await cam.startLive((f) => frames.push(f));
      await until('live frames', () => frames.length >= 2, 5_000);
      port.stall('stream');
      const n = frames.length;
      await until('frames after the stall', () => frames.length >= n + 3, 5_000);
      await cam.stopLive();
    } finally {
      await cam.disconnect();
    }
  });

  it('counts a block with an error trailer or cut short as incomplete, and snaps the next one', async () => {
    const { port, cam } = await connected();
    try {
      await cam.setRoi({ xPx: 0, yPx: 0, widthPx: 100, heightPx: 50 }); // 3 payload transfers
      for (const [fault, reason] of [
        ['status', /trailer status 0xa101/],
        ['short', /4096 of 10000 image bytes/],
      ] as const) {
        logs.length = 0;
        const before = cam.incompleteFrames;
        port.device.nextBlockFault = fault;
        const f = await cam.snap();
        expect(cam.incompleteFrames).toBe(before + 1);
        expect(logs.some((l) => reason.test(l) && /not delivered/.test(l))).toBe(true);
        expect(f.pixels[0]).toBe((7 * (port.device.blockId - 1)) % 65536); // the good block after it
      }
    } finally {
      await cam.disconnect();
    }
  });

  it('counts a block lost whole during live (its id skipped) as incomplete, leaving a gap in seq', async () => {
    const { port, cam } = await connected();
    try {
      await cam.setExposureMs(3);
      await cam.setRoi({ xPx: 0, yPx: 0, widthPx: 40, heightPx: 30 });
      const frames: RawFrame[] = [];
      await cam.startLive((f) => frames.push(f));
      await until('live frames', () => frames.length >= 2, 5_000);
      logs.length = 0;
      const before = cam.incompleteFrames;
      port.device.nextBlockFault = 'lost';
      const lostId = port.device.blockId;
      const seen = frames.length;
      await until('frames after the lost block', () => frames.length >= seen + 3, 5_000);
      await cam.stopLive();
      expect(cam.incompleteFrames).toBe(before + 1);
      expect(logs).toContainEqual(`u3v: frame ${lostId} incomplete (frame lost); not delivered`);
      const seqs = frames.map((f) => f.seq);
      const gaps = seqs.slice(1).filter((q, i) => q !== seqs[i]! + 1);
      expect(gaps).toHaveLength(1);
    } finally {
      await cam.disconnect();
    }
  });

  it('unplugged mid-frame: the snap fails E_DISCONNECTED, the partial frame is counted, never delivered', async () => {
    const { port, cam, disconnected } = await connected({ reconnectMs: 0 });
    await cam.setRoi({ xPx: 0, yPx: 0, widthPx: 100, heightPx: 50 }); // leader, 3 payload transfers, trailer
    port.unplug(2); // the leader and one payload transfer arrive, then NO_DEVICE
    await expect(cam.snap()).rejects.toMatchObject({ code: 'E_DISCONNECTED' });
    expect(cam.incompleteFrames).toBe(1);
    await until('disconnected event', () => !!disconnected(), 5_000);
    expect(disconnected()).toMatchObject({ error: { code: 'E_DISCONNECTED' } });
    expect(logs.some((l) => /frame 1 incomplete .*not delivered/.test(l))).toBe(true);
    await expect(cam.getFeature('Gain')).rejects.toMatchObject({ code: 'E_DISCONNECTED' });
    await cam.disconnect();
  });

  it('notices an idle camera unplugged, without any call', async () => {
    const { port, cam, disconnected } = await connected({ reconnectMs: 0, watchMs: 100 });
    port.unplug();
    await until('disconnected event', () => !!disconnected(), 2_000);
    expect(disconnected()).toMatchObject({ error: { code: 'E_DISCONNECTED' } });
    await cam.disconnect();
  });

  it('unplugged while live: frames stop whole, live ends, and it reconnects when replugged with exposure, binning and ROI', async () => {
    const { port, cam, events, disconnected } = await connected({ reconnectMs: 50 });
    await cam.setExposureMs(3);
    await cam.setBinning(2);
    await cam.setRoi({ xPx: 4, yPx: 6, widthPx: 40, heightPx: 30 });
    const frames: RawFrame[] = [];
    await cam.startLive((f) => frames.push(f));
    await until('live frames', () => frames.length >= 3, 5_000);
    port.unplug(1);
    await until('disconnected event', () => !!disconnected(), 5_000);
    expect(cam.isLive()).toBe(false);
    for (const f of frames) expect(f.pixels).toHaveLength(40 * 30);
    const delivered = frames.length;
    await new Promise((r) => setTimeout(r, 200)); // several reconnect attempts find nothing
    expect(port.plugged).toBe(false);
    const connectedAgain = () =>
      events.filter((e) => e.type === 'connection' && e.state === 'connected').length >= 2;
    expect(connectedAgain()).toBe(false);
    port.replug();
    await until('reconnected', connectedAgain, 5_000);
    expect(cam.isLive()).toBe(false); // live is not restarted on its own
    expect(frames.length).toBe(delivered);
    // the fresh device got the settings again
    const d = port.device;
    expect([
      d.u32(Reg.binningH),
      d.u32(Reg.width),
      d.u32(Reg.height),
      d.u32(Reg.offsetX),
      d.u32(Reg.offsetY),
    ]).toEqual([2, 40, 30, 4, 6]);
    expect(d.mem.readDoubleLE(Reg.exposureUs)).toBe(3000);
    expect(await cam.getRoi()).toEqual({ xPx: 4, yPx: 6, widthPx: 40, heightPx: 30 });
    const f = await cam.snap();
    expect([f.widthPx, f.heightPx, f.binning]).toEqual([40, 30, 2]);
    await cam.disconnect();
  });
});
