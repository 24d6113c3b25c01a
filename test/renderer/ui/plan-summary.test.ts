import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizePlan } from '../../../renderer/ui/plan-summary';

const fixture = JSON.parse(
  readFileSync(
    path.resolve(import.meta.dirname, '../../fixtures/plans/timelapse-zstack.json'),
    'utf8',
  ),
) as Record<string, unknown>;

describe('summarizePlan (a loaded plan the form cannot show)', () => {
  it('lists every field that runs, the channels first, an unknown channel flagged', () => {
    const rows = summarizePlan(fixture, ['GFP', 'Cy5']);
    expect(rows.map((r) => r.label)).toEqual([
      'channels',
      'metadata',
      'axis order',
      'positions',
      'time',
      'z',
      'keep_shutter_open_across',
      'some_future_field',
    ]);
    expect(rows[0]).toEqual({
      label: 'channels',
      value: 'DAPI 20 ms, GFP',
      flag: 'Unknown channel "DAPI": this microscope has GFP, Cy5.',
    });
    expect(rows.find((r) => r.label === 'positions')?.value).toBe(
      '2: well A1: 100, -50, 2 µm; tiled: -300, 250, 0 µm',
    );
    expect(rows.find((r) => r.label === 'z')?.value).toBe('{"range":2,"step":1,"go_up":true}');
    expect(rows.filter((r) => r.flag)).toHaveLength(1);
  });

  it('flags a plan without channels as dark frames', () => {
    for (const plan of [{ time_plan: { interval: 0, loops: 9 } }, { channels: [] }]) {
      expect(summarizePlan(plan, ['GFP'])[0]).toEqual({
        label: 'channels',
        value: 'none',
        flag: 'No channels: every frame is taken with all lasers off (dark frames).',
      });
    }
  });

  it('known channels carry no flag; long values are cut', () => {
    const rows = summarizePlan({ channels: ['GFP'], metadata: { note: 'x'.repeat(500) } }, ['GFP']);
    expect(rows[0]).toEqual({ label: 'channels', value: 'GFP' });
    expect(rows[1]!.value).toHaveLength(120);
    expect(rows[1]!.value.endsWith('…')).toBe(true);
  });
});
