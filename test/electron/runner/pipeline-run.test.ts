/** A whole run as the host will wire it: plan + config → sim devices → MdaRunner → OME-Zarr on disk. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnyDevice, Camera, Laser, XYStage, ZDrive } from '../../../drivers/devices';
import { createDevice } from '../../../drivers/registry';
import { SimWorld } from '../../../drivers/sim/world';
import { parseConfig } from '../../../electron/config/load';
import { parsePlan } from '../../../electron/plans/load';
import { layoutFor, prepareRun } from '../../../electron/plans/prepare';
import { FramePipeline } from '../../../electron/pipeline/frame-pipeline';
import { DeviceEngine } from '../../../electron/runner/device-engine';
import { MdaRunner } from '../../../electron/runner/mda-runner';
import { readFrameRecords } from '../../../electron/storage/dataset-files';
import { datasetFiles } from '../../../electron/storage/layout';

const simulated = JSON.parse(fs.readFileSync('assets/configs/simulated.json', 'utf8')) as {
  devices: { kind: string; options: Record<string, unknown> }[];
};

describe('run into a real dataset', () => {
  let dir = '';
  let devices: AnyDevice[] = [];
  afterEach(async () => {
    for (const d of devices) await d.disconnect();
    devices = [];
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes every planned frame through the frame pipeline and closes the dataset', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aquila-run-'));
    for (const d of simulated.devices)
      if (d.kind === 'camera')
        d.options = {
          widthPx: 32,
          heightPx: 16,
          pixelSizeUm: 0.5,
          mode: 'test-pattern',
          renderWorkers: 0,
          readoutMs: 0,
        };
    const config = parseConfig(JSON.stringify(simulated), 'test config');
    const world = new SimWorld({ seed: 1, cellCount: 10, slideHalfWidthUm: 200 });
    devices = config.devices.map((spec) =>
      createDevice(spec, { simWorld: () => world, log: () => {} }),
    );
    for (const d of devices) await d.connect();
    const of = <T extends AnyDevice>(kind: T['kind']) =>
      devices.filter((d): d is T => d.kind === kind);

    const plan = parsePlan(
      JSON.stringify({
        stage_positions: [
          [0, 0, 0],
          [50, 50, 1],
        ],
        channels: [
          { config: 'GFP', exposure: 1 },
          { config: 'Cy5', exposure: 1 },
        ],
        z_plan: { range: 2, step: 1 },
      }),
    );
    const run = prepareRun(plan, config);
    const sink = await FramePipeline.open({
      root: dir,
      layout: layoutFor(run, config, 'sim-run'),
      provenance: { appVersion: 'test', operator: 'vitest', config, plan },
    });
    const runner = new MdaRunner({
      events: run.events,
      engine: new DeviceEngine({
        stage: of<XYStage>('xy-stage')[0] ?? null,
        focus: of<ZDrive>('z-drive')[0] ?? null,
        camera: of<Camera>('camera')[0]!,
        lasers: of<Laser>('laser'),
      }),
      sink,
      presets: run.binding.presets,
      indexOf: run.shape.indexOf,
    });
    const final = await runner.run();
    expect(final.state).toBe('finished');
    expect(final.errors).toEqual([]);
    expect(final.summary).toMatchObject({
      outcome: 'complete',
      framesWritten: 12,
      framesExpected: 12,
    });
    const records = readFrameRecords(final.summary!.dir);
    expect(records.items).toHaveLength(12);
    expect(records.items.map((r) => r.meta.channel).slice(0, 4)).toEqual([
      'GFP',
      'GFP',
      'GFP',
      'Cy5',
    ]);
    expect(fs.existsSync(path.join(final.summary!.dir, datasetFiles.manifest))).toBe(true);
    for (const l of of<Laser>('laser')) expect(await l.getEmission()).toBe(false);
  });
});
