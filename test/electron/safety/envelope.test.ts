import { describe, expect, it } from 'vitest';
import { LimitError, ValidationError } from '../../../drivers/errors';
import { Envelope } from '../../../electron/safety/envelope';

const env = new Envelope({
  xUm: { min: -100, max: 100 },
  yUm: { min: -50, max: 50 },
  zUm: { min: -10, max: 20 },
});

describe('Envelope', () => {
  it('accepts targets on and inside the limits', () => {
    expect(() => env.assertXY({ xUm: 100, yUm: -50 })).not.toThrow();
    expect(() => env.assertZ(20)).not.toThrow();
  });

  it('refuses and names the limit that was crossed', () => {
    expect(() => env.assertXY({ xUm: 100.001, yUm: 0 })).toThrow(
      /x = 100\.001 µm is above the X maximum 100 µm/,
    );
    expect(() => env.assertXY({ xUm: 0, yUm: -51 })).toThrow(/below the Y minimum -50 µm/);
    expect(() => env.assertZ(21)).toThrow(/above the Z maximum 20 µm \(protects the objective\)/);
    expect(() => env.assertZ(-11)).toThrow(LimitError);
  });

  it('carries the limit in the error details', () => {
    try {
      env.assertZ(30);
      expect.unreachable();
    } catch (err) {
      expect((err as LimitError).toJSON()).toMatchObject({
        code: 'E_LIMIT',
        details: { axis: 'z', valueUm: 30, maxUm: 20 },
      });
    }
  });

  it('refuses non-finite targets as invalid, never as a move', () => {
    expect(() => env.assertXY({ xUm: Number.NaN, yUm: 0 })).toThrow(ValidationError);
    expect(() => env.assertZ(Number.POSITIVE_INFINITY)).toThrow(ValidationError);
  });
});
