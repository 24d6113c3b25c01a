import { describe, expect, it } from 'vitest';
import { describeError } from '../../../renderer/state/error-text';

const err = (code: string, message: string, details?: Record<string, unknown>) => ({
  name: 'Error',
  code,
  message,
  ...(details ? { details } : {}),
});

describe('describeError', () => {
  it('laser power over the maximum: value, unit and limit in words; the code in the details', () => {
    expect(
      describeError(
        err('E_LIMIT', 'Laser l488: 200 mW is outside 0..150 mW', {
          laserId: 'l488',
          powerMw: 200,
          maxPowerMw: 150,
        }),
        'laser.setPower',
      ),
    ).toEqual({
      text: "200 mW is above this laser's maximum of 150 mW (l488).",
      detail: 'laser.setPower · E_LIMIT · Laser l488: 200 mW is outside 0..150 mW',
    });
    expect(describeError(err('E_LIMIT', 'x', { powerMw: -0.1, maxPowerMw: 150 })).text).toBe(
      'Laser power cannot be negative (-0.1 mW).',
    );
  });

  it('stage and focus limits name the axis, the value, the limit and that nothing moved', () => {
    const limit = (axis: string, valueUm: number) =>
      describeError(err('E_LIMIT', 'm', { axis, valueUm, minUm: -200, maxUm: 200 })).text;
    expect(limit('x', 250.00000000000003)).toBe(
      'Stage X 250 µm is above the maximum of 200 µm; nothing moved.',
    );
    expect(limit('y', -300)).toBe(
      'Stage Y -300 µm is below the minimum of -200 µm; nothing moved.',
    );
    expect(limit('z', 1000)).toBe(
      'Focus 1000 µm is above the maximum of 200 µm (the limit protects the objective); nothing moved.',
    );
  });

  it('e-stop and lease refusals say what to do, not which command was internal', () => {
    const estop = describeError(err('E_ESTOP', 'Reset the e-stop (safety.reset) first.'), 'x');
    expect(estop.text).not.toContain('safety.reset');
    expect(estop.text).toMatch(/Reset E-stop/);
    expect(
      describeError(err('E_NOT_CONTROLLER', 'm', { holder: { user: 'alice', clientId: 'c' } }))
        .text,
    ).toBe('alice is in control: ask for control (Control panel) before changing anything.');
    expect(describeError(err('E_NOT_CONTROLLER', 'm', { role: 'observer' })).text).toMatch(
      /observer/,
    );
  });

  it('falls back to the host message (the code still in the details) when it knows no better', () => {
    expect(describeError(err('E_STATE', 'Stop live view first'), 'camera.snap')).toEqual({
      text: 'Stop live view first',
      detail: 'camera.snap · E_STATE',
    });
    // Details of an unexpected shape do not produce half a sentence.
    expect(describeError(err('E_LIMIT', 'Exposure 0 ms is too short', { foo: 1 })).text).toBe(
      'Exposure 0 ms is too short',
    );
  });
});
