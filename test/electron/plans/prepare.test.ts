import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../electron/config/load';
import { parsePlan } from '../../../electron/plans/load';
import { layoutFor, prepareRun } from '../../../electron/plans/prepare';
import { datasetLayout } from '../../../electron/storage/layout';

describe('prepareRun / layoutFor', () => {
  it('gives the writers a valid layout: sizes, channels with colours, physical scales', async () => {
    const { config } = await loadConfig('assets/configs/simulated.json');
    const seq = parsePlan(
      JSON.stringify({
        time_plan: { interval: 2.5, loops: 3 },
        stage_positions: [
          [0, 0],
          [100, 100],
        ],
        channels: ['DAPI', 'Cy5'],
        z_plan: { range: 1, step: 0.5 },
      }),
    );
    const run = prepareRun(seq, config);
    expect(run.events).toHaveLength(3 * 2 * 2 * 3);
    const layout = datasetLayout.parse(layoutFor(run, config, 'run-1', 'ome-tiff'));
    expect(layout).toMatchObject({
      name: 'run-1',
      format: 'ome-tiff',
      positions: 2,
      sizes: { t: 3, c: 2, z: 3, y: 2048, x: 2048 },
      physical: { pixelSizeUm: 0.1083, zStepUm: 0.5, timeIntervalS: 2.5 },
    });
    expect(layout.channels.map((c) => [c.name, c.colorHex, c.excitationNm])).toEqual([
      ['DAPI', '0000FF', 405],
      ['Cy5', 'FF00FF', 640],
    ]);
  });

  it('refuses plans whose channels are not presets', async () => {
    const { config } = await loadConfig('assets/configs/simulated.json');
    expect(() => prepareRun(parsePlan('{"channels": ["FITC"]}'), config)).toThrow(
      /channels\[0\]\.config: "FITC" is not a channel preset/,
    );
  });
});
