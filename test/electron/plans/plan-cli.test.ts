/** `aquila plan events|estimate` and the estimate model, on fixture plans and the simulated config. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AquilaError } from '../../../drivers/errors';
import { command } from '../../../electron/cli/commands/plan';
import { loadConfig } from '../../../electron/config/load';
import { datasetShape } from '../../../electron/plans/dataset-shape';
import { estimatePlan } from '../../../electron/plans/estimate';
import { expandSequence } from '../../../electron/plans/expand';
import { parsePlan } from '../../../electron/plans/load';
import { bindPlan } from '../../../electron/plans/resolve';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/plans');
const fixture = (name: string) => path.join(fixtures, name);

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command.run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('aquila plan events', () => {
  it('prints one useq-style JSON event per line', async () => {
    const { code, out } = await cli('events', fixture('timelapse-zstack.json'));
    expect(code).toBe(0);
    const ev = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    // t0: A1 DAPI (middle plane) + GFP ×3; tiled: 2 tiles × (DAPI + GFP ×3). t1: GFP skipped.
    expect(ev).toHaveLength(4 + 8 + 1 + 2);
    expect(ev[0]).toEqual({
      index: { t: 0, p: 0, c: 0, z: 1 },
      channel: { config: 'DAPI', group: 'Channel' },
      exposure: 20,
      min_start_time: 0,
      pos_name: 'well A1',
      x_pos: 100,
      y_pos: -50,
      z_pos: 2,
      reset_event_timer: true,
    });
    // The tiled position's grid uses useq's 1 µm FOV without a config: ±0.45 µm (10 % overlap).
    expect(ev[4]).toMatchObject({
      index: { t: 0, p: 1, c: 0, z: 1, g: 0 },
      x_pos: -300.45,
      y_pos: 250,
    });
    expect(ev[12]).toMatchObject({ index: { t: 1, p: 0, c: 0, z: 1 }, min_start_time: 10 });
    expect(ev.every((e) => !('keep_shutter_open' in e) && !('action' in e))).toBe(true);
  });

  it('uses the camera FOV and checks channel presets with --config', async () => {
    const { out } = await cli(
      'events',
      fixture('timelapse-zstack.json'),
      '--config',
      'assets/configs/simulated.json',
    );
    const tile = JSON.parse(out[4]!) as { x_pos: number };
    // 2048 px × 0.1083 µm = 221.7984 µm FOV; step 90 % of it; two tiles centred on −300.
    expect(tile.x_pos).toBeCloseTo(-300 - (221.7984 * 0.9) / 2, 9);
    await expect(
      cli('events', fixture('unknown-channel.json'), '--config', 'assets/configs/simulated.json'),
    ).rejects.toThrow(/channels\[1\]\.config: "FITC" is not a channel preset/);
  });

  it('rejects invalid plans with an AquilaError naming each field (exit 2 in the CLI)', async () => {
    const err = await cli('events', fixture('invalid.json')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AquilaError);
    const msg = (err as AquilaError).message;
    expect(msg).toMatch(/channels\[0\]\.exposure: Too small/);
    expect(msg).toMatch(/z_plan\.step: Invalid input/);
    expect(msg).toMatch(/stage_positions\[0\]\.x: Invalid input/);
    await expect(cli('frobnicate', 'x')).rejects.toThrow(/usage: aquila plan/);
    await expect(cli('events', fixture('missing.json'))).rejects.toThrow(
      /cannot read plan .*ENOENT/,
    );
  });
});

describe('aquila plan estimate', () => {
  it('prints frames, data volume and duration', async () => {
    const { code, out } = await cli('estimate', fixture('timelapse-zstack.json'));
    expect(code).toBe(0);
    expect(out[0]).toBe('frames:   15 (15 events, 0 autofocus)');
    expect(out[1]).toBe('data:     120.00 MiB (125829120 bytes: 2048×2048 px, 2 bytes/px)');
    expect(out[2]).toMatch(/^duration: 10\.\d s \(exposure/);
    const json = JSON.parse(
      (await cli('estimate', fixture('timelapse-zstack.json'), '--json')).out[0]!,
    ) as {
      frames: number;
      bytes: number;
    };
    expect(json).toMatchObject({ frames: 15, bytes: 125829120 });
  });

  it('models exposure, read-out, stage travel and time-plan waits', async () => {
    const { config } = await loadConfig('assets/configs/simulated.json');
    const seq = parsePlan(
      JSON.stringify({
        time_plan: { interval: 10, loops: 3 },
        channels: ['GFP', 'mCherry'],
        z_plan: { range: 2, step: 1 },
      }),
    );
    const binding = bindPlan(seq, config);
    const est = estimatePlan(expandSequence(seq), binding);
    expect(est.frames).toBe(18);
    expect(est.bytes).toBe(18 * 2048 * 2048 * 2);
    // Per timepoint: 6 × (30 ms exposure + 10 ms read-out); z steps of 1 or 2 µm at 500 µm/s.
    expect(est.exposureS).toBeCloseTo(0.54, 9);
    expect(est.travelS).toBeCloseTo(0.012 + 0.016 + 0.016, 9);
    expect(est.durationS).toBeCloseTo(20.256, 9);
    expect(est.waitS).toBeCloseTo(10 - 0.252 + (20 - 10.256), 9);
  });

  it('steps grid tiles by the field on the stage: a quarter-turned camera swaps width and height', async () => {
    const { config } = await loadConfig('assets/configs/simulated.json');
    const wide = {
      ...config,
      devices: config.devices.map((d) =>
        d.kind === 'camera'
          ? { ...d, options: { widthPx: 400, heightPx: 100, pixelSizeUm: 0.5 } }
          : d,
      ),
    };
    const seq = parsePlan(
      JSON.stringify({ grid_plan: { rows: 2, columns: 2 }, channels: ['GFP'] }),
    );
    for (const [rotate90, widthUm, heightUm] of [
      [false, 200, 50],
      [true, 50, 200],
    ] as const) {
      const cfg = { ...wide, stageOrientation: { flipX: true, flipY: false, rotate90 } };
      const { fovUm } = bindPlan(seq, cfg);
      expect(fovUm).toEqual({ widthUm, heightUm });
      const xs = new Set<number>();
      const ys = new Set<number>();
      for (const e of expandSequence(seq, { fovUm })) {
        xs.add(e.x_pos!);
        ys.add(e.y_pos!);
      }
      // Neighbouring tiles one field apart along each stage axis (no overlap).
      const step = (v: Set<number>) => Math.abs([...v][1]! - [...v][0]!);
      expect([step(xs), step(ys)]).toEqual([widthUm, heightUm]);
    }
  });

  it('maps events to dataset positions: one per (position, tile)', () => {
    const seq = parsePlan(
      JSON.stringify({
        stage_positions: [
          [0, 0],
          [5, 5],
        ],
        grid_plan: { rows: 1, columns: 2 },
        channels: ['A', { config: 'B', do_stack: false }],
        z_plan: { relative: [-1, 0, 1] },
      }),
    );
    const events = [...expandSequence(seq)];
    const shape = datasetShape(events);
    expect(shape).toMatchObject({
      positions: 4,
      sizes: { t: 1, c: 2, z: 3 },
      channelNames: ['A', 'B'],
    });
    expect(events.map((e) => shape.indexOf(e).p)).toEqual([
      0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
    ]);
    expect(shape.indexOf(events[3]!)).toEqual({ p: 0, t: 0, c: 1, z: 1 });
  });
});
