/**
 * Focus-lock calibration: steps Z across a span centred on the current position, reads the
 * focus sensor at each step and fits spot position = a + pxPerUm · z by least squares.
 * Z always returns to where it started, also when calibration fails.
 */
import { AquilaError } from '../../drivers/errors';
import type { FocusSensor } from '../../drivers/devices';

/** The focus lock could not calibrate, acquire or hold focus; the message says why. */
export class FocusLockError extends AquilaError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_FOCUS_LOCK', message, details);
  }
}

export interface FocusDrive {
  /** Absolute move through the safety layer (Z limits enforced there); resolves with the final z. */
  moveToUm(zUm: number): Promise<number>;
  positionUm(): Promise<number>;
}

export interface CalibrationResult {
  /** Spot displacement per µm of Z, px/µm (sign: direction on the sensor). */
  pxPerUm: number;
  /** RMS distance of the readings from the fitted line, px. */
  residualPx: number;
}

export interface CalibrationOptions {
  /** Total Z span stepped, µm (default 4). */
  spanUm?: number;
  /** Number of Z positions, ≥ 3 (default 9). */
  steps?: number;
  /** Sensor readings averaged per position (default 5). */
  readsPerStep?: number;
}

/**
 * Averages `n` readings; null if any has no usable position (a spot that comes and goes
 * is no basis for a fit or a lock).
 */
export async function meanReading(
  sensor: FocusSensor,
  n: number,
): Promise<{ positionPx: number | null; signal: number }> {
  let sumPx = 0;
  let sumSignal = 0;
  let valid = true;
  for (let i = 0; i < n; i++) {
    const r = await sensor.read();
    sumSignal += r.signal;
    if (r.positionPx === null) valid = false;
    else sumPx += r.positionPx;
  }
  return { positionPx: valid ? sumPx / n : null, signal: sumSignal / n };
}

export async function calibrateFocusSensor(
  sensor: FocusSensor,
  focus: FocusDrive,
  options: CalibrationOptions = {},
): Promise<CalibrationResult> {
  const spanUm = options.spanUm ?? 4;
  const steps = options.steps ?? 9;
  const reads = options.readsPerStep ?? 5;
  if (!(spanUm > 0) || !Number.isInteger(steps) || steps < 3 || !(reads >= 1)) {
    throw new FocusLockError(
      `calibration: spanUm must be > 0 and steps an integer ≥ 3 (got spanUm ${spanUm}, steps ${steps})`,
    );
  }
  const startUm = await focus.positionUm();
  const points: { zUm: number; px: number }[] = [];
  try {
    for (let i = 0; i < steps; i++) {
      const target = startUm - spanUm / 2 + (spanUm * i) / (steps - 1);
      const zUm = await focus.moveToUm(target);
      const r = await meanReading(sensor, reads);
      if (r.positionPx === null) {
        throw new FocusLockError(
          `calibration: no focus-sensor signal at z = ${zUm.toFixed(2)} µm (signal ${r.signal.toFixed(2)}); ` +
            'check the sample is over the coverslip, the sensor is not blocked, and focus is within its capture range',
          { zUm, signal: r.signal },
        );
      }
      points.push({ zUm, px: r.positionPx });
    }
  } finally {
    await focus.moveToUm(startUm);
  }
  const fit = fitLine(points);
  const swingPx = Math.abs(fit.slope) * spanUm;
  if (!(swingPx > 10 * fit.residualPx) || !(swingPx > 1)) {
    throw new FocusLockError(
      `calibration: the sensor barely moves with Z (${fit.slope.toFixed(3)} px/µm over ±${spanUm / 2} µm, ` +
        `residual ${fit.residualPx.toFixed(2)} px); check the focus sensor and that Z really moves`,
      { pxPerUm: fit.slope, residualPx: fit.residualPx },
    );
  }
  return { pxPerUm: fit.slope, residualPx: fit.residualPx };
}

function fitLine(points: { zUm: number; px: number }[]): { slope: number; residualPx: number } {
  const n = points.length;
  const mz = points.reduce((s, p) => s + p.zUm, 0) / n;
  const mp = points.reduce((s, p) => s + p.px, 0) / n;
  let szz = 0;
  let szp = 0;
  for (const p of points) {
    szz += (p.zUm - mz) ** 2;
    szp += (p.zUm - mz) * (p.px - mp);
  }
  const slope = szz > 0 ? szp / szz : 0;
  let ss = 0;
  for (const p of points) ss += (p.px - mp - slope * (p.zUm - mz)) ** 2;
  return { slope, residualPx: Math.sqrt(ss / n) };
}
