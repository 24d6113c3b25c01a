import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlanFile } from '../../../electron/plans/plan-file';

const fixtures = path.join(__dirname, '../../fixtures/plans');
const read = (name: string) => readFileSync(path.join(fixtures, name), 'utf8');

describe('plan files', () => {
  it('tells a FLImP plan from a useq MDA sequence by its kind', () => {
    const flimp = parsePlanFile(read('flimp-small.json'), 'flimp-small.json');
    expect(flimp.kind).toBe('flimp');
    expect(flimp.kind === 'flimp' && flimp.plan).toMatchObject({
      maxRois: 3,
      scan: { columns: 3, rows: 3, serpentine: true },
      roi: { centre: true, programme: [{ laserId: 'laser488' }] },
    });
    const mda = parsePlanFile(read('timelapse-zstack.json'), 'timelapse-zstack.json');
    expect(mda.kind).toBe('mda');
  });

  it('names the file and the bad field, and refuses unknown kinds', () => {
    const bad = JSON.stringify({ ...JSON.parse(read('flimp-small.json')), maxRois: 0 });
    expect(() => parsePlanFile(bad, 'p.json')).toThrow(
      /p\.json is not a valid FLImP plan:\n {2}maxRois:/,
    );
    expect(() => parsePlanFile('{"kind":"zstack"}', 'q.json')).toThrow(
      /q\.json: unknown plan kind "zstack"/,
    );
    expect(() => parsePlanFile('[1]', 'r.json')).toThrow(/r\.json: expected a JSON object/);
  });
});
