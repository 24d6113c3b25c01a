/**
 * The stage envelope: XY travel and the Z window that protects the objective. A target
 * outside it is refused with a LimitError that names the limit — never clipped.
 */
import type { XYPositionUm } from '../../drivers/devices';
import { LimitError, ValidationError } from '../../drivers/errors';
import type { LimitRange } from '../api/contract';

export interface EnvelopeLimits {
  xUm: LimitRange;
  yUm: LimitRange;
  zUm: LimitRange;
}

function check(axis: 'x' | 'y' | 'z', value: number, range: LimitRange, what: string): void {
  if (!Number.isFinite(value))
    throw new ValidationError(`${what}: ${axis} must be a finite number of µm, got ${value}`);
  if (value < range.min || value > range.max) {
    const side =
      value < range.min
        ? `below the ${axis.toUpperCase()} minimum ${range.min} µm`
        : `above the ${axis.toUpperCase()} maximum ${range.max} µm`;
    const objective = axis === 'z' && value > range.max ? ' (protects the objective)' : '';
    throw new LimitError(`${what} refused: ${axis} = ${value} µm is ${side}${objective}`, {
      axis,
      valueUm: value,
      minUm: range.min,
      maxUm: range.max,
    });
  }
}

export class Envelope {
  constructor(readonly limits: EnvelopeLimits) {}

  assertXY(target: XYPositionUm, what = 'XY move'): void {
    check('x', target.xUm, this.limits.xUm, what);
    check('y', target.yUm, this.limits.yUm, what);
  }

  assertZ(zUm: number, what = 'Z move'): void {
    check('z', zUm, this.limits.zUm, what);
  }

  containsXY(p: XYPositionUm): boolean {
    const { xUm, yUm } = this.limits;
    return p.xUm >= xUm.min && p.xUm <= xUm.max && p.yUm >= yUm.min && p.yUm <= yUm.max;
  }

  containsZ(zUm: number): boolean {
    return zUm >= this.limits.zUm.min && zUm <= this.limits.zUm.max;
  }
}
