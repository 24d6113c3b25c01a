/** The runner end to end on the simulated microscope: plan → events → DeviceEngine → sink. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Device } from '../../../drivers/devices';
import { SimCamera } from '../../../drivers/sim/camera';
import { SimLaser, SimXYStage, SimZDrive } from '../../../drivers/sim/sim-devices';
import { SimWorld } from '../../../drivers/sim/world';
import { datasetShape } from '../../../electron/plans/dataset-shape';
import { expandSequence } from '../../../electron/plans/expand';
import { parsePlan } from '../../../electron/plans/load';
import { DeviceEngine } from '../../../electron/runner/device-engine';
import { MdaRunner } from '../../../electron/runner/mda-runner';
import { FakeSink, PRESETS } from './fakes';

describe('MdaRunner on the simulated devices', () => {
  let devices: Device[] = [];
  afterEach(async () => {
    for (const d of devices) await d.disconnect();
    devices = [];
  });

  async function microscope() {
    const world = new SimWorld({ seed: 3, cellCount: 20, slideHalfWidthUm: 500 });
    const stage = new SimXYStage('stage', world, { speedUmPerS: 50_000 });
    const focus = new SimZDrive('focus', world, { speedUmPerS: 5_000 });
    const l488 = new SimLaser('l488', world, { wavelengthNm: 488, maxPowerMw: 50 });
    const l561 = new SimLaser('l561', world, { wavelengthNm: 561, maxPowerMw: 50 });
    const camera = new SimCamera('camera', world, {
      widthPx: 32,
      heightPx: 24,
      mode: 'test-pattern',
      renderWorkers: 0,
      readoutMs: 0,
    });
    devices = [stage, focus, l488, l561, camera];
    for (const d of devices) await d.connect();
    await stage.moveToUm({ xUm: 5, yUm: -5 });
    await focus.moveToUm(2);
    await camera.setExposureMs(3);
    await l488.setPowerMw(4);
    return { world, stage, focus, camera, lasers: [l488, l561] };
  }

  it('acquires every frame where the plan says, then restores the stage and switches lasers off', async () => {
    const m = await microscope();
    const seq = parsePlan(
      JSON.stringify({
        axis_order: 'pcz',
        stage_positions: [
          { x: 100, y: 50, z: 1 },
          { x: -40, y: 20, z: 0 },
        ],
        channels: [{ config: 'GFP', exposure: 1 }, 'mCherry'],
        z_plan: { relative: [-1, 1] },
      }),
    );
    const events = [...expandSequence(seq)];
    const shape = datasetShape(events);
    const sink = new FakeSink();
    const presets = new Map([...PRESETS].map(([k, v]) => [k, { ...v, exposureMs: 2 }] as const));
    const runner = new MdaRunner({
      events,
      engine: new DeviceEngine({
        stage: m.stage,
        focus: m.focus,
        camera: m.camera,
        lasers: m.lasers,
      }),
      sink,
      presets,
      indexOf: shape.indexOf,
    });
    const final = await runner.run();
    expect(final.state).toBe('finished');
    expect(final.errors).toEqual([]);
    expect(sink.frames).toHaveLength(8);
    expect(shape).toMatchObject({ positions: 2, sizes: { t: 1, c: 2, z: 2 } });
    sink.frames.forEach(({ frame, index }, i) => {
      const e = events[i]!;
      expect(frame.meta.stage.xUm).toBeCloseTo(e.x_pos!, 6);
      expect(frame.meta.stage.yUm).toBeCloseTo(e.y_pos!, 6);
      expect(frame.meta.stage.zUm).toBeCloseTo(e.z_pos!, 6);
      expect(frame.meta.widthPx).toBe(32);
      expect(frame.pixels.byteLength).toBe(32 * 24 * 2);
      expect(frame.meta.exposureMs).toBe(e.channel!.config === 'GFP' ? 1 : 2);
      const on = e.channel!.config === 'GFP' ? 'l488' : 'l561';
      expect(frame.meta.lasersMw[on]).toBe(on === 'l488' ? 10 : 20);
      expect(index).toEqual({ p: e.index.p, t: 0, c: e.index.c, z: e.index.z });
    });
    expect(await m.stage.getPositionUm()).toEqual({ xUm: 5, yUm: -5 });
    expect(await m.focus.getPositionUm()).toBe(2);
    expect(await m.camera.getExposureMs()).toBe(3);
    expect(await m.lasers[0]!.getPowerMw()).toBe(4);
    for (const l of m.lasers) expect(await l.getEmission()).toBe(false);
  });

  it('reads no laser per frame: metadata from the line states read at start and acknowledged since', async () => {
    const m = await microscope();
    const reads = m.lasers.flatMap((l) => [vi.spyOn(l, 'getEmission'), vi.spyOn(l, 'getPowerMw')]);
    const seq = parsePlan(
      JSON.stringify({ time_plan: { interval: 0, loops: 6 }, channels: ['GFP', 'mCherry'] }),
    );
    const events = [...expandSequence(seq)];
    const sink = new FakeSink();
    const runner = new MdaRunner({
      events,
      engine: new DeviceEngine({
        stage: m.stage,
        focus: m.focus,
        camera: m.camera,
        lasers: m.lasers,
      }),
      sink,
      presets: PRESETS,
      indexOf: datasetShape(events).indexOf,
    });
    expect((await runner.run()).state).toBe('finished');
    expect(sink.frames).toHaveLength(12);
    for (const { frame } of sink.frames) {
      const gfp = frame.meta.lasersMw.l488 !== 0;
      expect(frame.meta.lasersMw).toEqual(gfp ? { l488: 10, l561: 0 } : { l488: 0, l561: 20 });
    }
    // One emission and one power read per line, at run start; none per frame.
    expect(reads.map((r) => r.mock.calls.length)).toEqual([1, 1, 1, 1]);
  });

  it('records an event the stage refuses (beyond travel) and goes on', async () => {
    const m = await microscope();
    const seq = parsePlan(
      JSON.stringify({
        stage_positions: [
          [0, 0],
          [90_000, 0],
          [10, 10],
        ],
        channels: ['GFP'],
      }),
    );
    const events = [...expandSequence(seq)];
    const sink = new FakeSink();
    const runner = new MdaRunner({
      events,
      engine: new DeviceEngine({
        stage: m.stage,
        focus: m.focus,
        camera: m.camera,
        lasers: m.lasers,
      }),
      sink,
      presets: PRESETS,
      indexOf: datasetShape(events).indexOf,
    });
    const final = await runner.run();
    expect(final.state).toBe('finished');
    expect(final.errors).toHaveLength(1);
    expect(final.errors[0]).toMatchObject({ eventIndex: 1, error: { code: 'E_LIMIT' } });
    expect(sink.frames.map((f) => f.index.p)).toEqual([0, 2]);
    for (const l of m.lasers) expect(await l.getEmission()).toBe(false);
  });
});
