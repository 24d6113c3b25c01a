import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../electron/config/load';
import { smallSimConfig } from '../../support/host-fixture';

const parse = (extra: Record<string, unknown>) =>
  parseConfig(JSON.stringify(smallSimConfig(extra)), 'test.json');

describe('config stageOrientation (issue #18 §7)', () => {
  it('defaults to identity; partial settings fill in', () => {
    expect(parse({}).stageOrientation).toEqual({ flipX: false, flipY: false, rotate90: false });
    expect(parse({ stageOrientation: { flipY: true } }).stageOrientation).toEqual({
      flipX: false,
      flipY: true,
      rotate90: false,
    });
  });

  it('bad values and unknown keys are named with their path', () => {
    expect(() => parse({ stageOrientation: { flipX: 'yes' } })).toThrow(/stageOrientation\.flipX/);
    expect(() => parse({ stageOrientation: { mirror: true } })).toThrow(/stageOrientation/);
  });
});
