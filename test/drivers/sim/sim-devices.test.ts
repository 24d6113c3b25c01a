import { describe, expect, it } from 'vitest';
import { LimitError, ValidationError } from '../../../drivers/errors';
import { SimXYStage, SimZDrive } from '../../../drivers/sim/sim-devices';
import { SimWorld } from '../../../drivers/sim/world';

const world = () => new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 100 });

describe('SimXYStage travel', () => {
  it('refuses targets beyond ±travel/2 on either axis without starting to move', async () => {
    const w = world();
    const stage = new SimXYStage('stage', w, { speedUmPerS: 1_000_000, travelUm: 2_000 });
    await stage.connect();
    for (const target of [
      { xUm: 1_000.5, yUm: 0 },
      { xUm: 0, yUm: -1_001 },
    ]) {
      await expect(stage.moveToUm(target)).rejects.toThrow(LimitError);
      expect(await stage.isBusy()).toBe(false);
      expect(await stage.getPositionUm()).toEqual({ xUm: 0, yUm: 0 });
    }
    await expect(stage.moveToUm({ xUm: 5_000, yUm: 0 })).rejects.toThrow(/±1000 µm/);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(stage.moveToUm({ xUm: bad, yUm: 0 })).rejects.toThrow(ValidationError);
    }
    expect(await stage.getPositionUm()).toEqual({ xUm: 0, yUm: 0 });
  });

  it('accepts a target exactly at the edge of travel', async () => {
    const stage = new SimXYStage('stage', world(), { speedUmPerS: 1_000_000, travelUm: 2_000 });
    await stage.connect();
    expect(await stage.moveToUm({ xUm: 1_000, yUm: -1_000 })).toEqual({ xUm: 1_000, yUm: -1_000 });
  });

  it('rejects unknown or invalid options by name', () => {
    expect(() => new SimXYStage('stage', world(), { speedUmPerS: -1 })).toThrow(ValidationError);
    expect(() => new SimXYStage('stage', world(), { travel: 5 })).toThrow(/travel/);
  });
});

describe('SimZDrive travel', () => {
  it('refuses targets beyond ±travel/2 with LimitError', async () => {
    const focus = new SimZDrive('focus', world(), { speedUmPerS: 1_000_000, travelUm: 400 });
    await focus.connect();
    await expect(focus.moveToUm(200.1)).rejects.toThrow(LimitError);
    await expect(focus.moveToUm(Number.NaN)).rejects.toThrow(ValidationError);
    expect(await focus.getPositionUm()).toBe(0);
  });
});
