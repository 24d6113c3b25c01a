/**
 * Switching one laser line off and saying honestly what came of it: the off command must
 * be acknowledged and emission must read back off within LASER_OFF_TIMEOUT_MS, otherwise
 * the line is `unconfirmed` (the head answered, but not with a confirmed off) or
 * `unreachable` (no port, or no answer at all). Never throws.
 */
import type { Laser } from '../../drivers/devices';
import { AquilaError, DisconnectedError, StateError, TimeoutError } from '../../drivers/errors';
import type { LaserOffLine } from '../api/contract';
import { withTimeout } from './with-timeout';

/** Off command plus read-back, per line; lines are switched off in parallel. */
export const LASER_OFF_TIMEOUT_MS = 1_000;

export interface LaserOffAttempt {
  line: LaserOffLine;
  /** Why the line is not confirmed off (for the device's lastError); absent when it is. */
  error?: AquilaError;
}

export async function switchLaserOff(laserId: string, laser: Laser): Promise<LaserOffAttempt> {
  const attempt = async () => {
    await laser.setEmission(false);
    return laser.getEmission();
  };
  try {
    const stillOn = await withTimeout(attempt(), LASER_OFF_TIMEOUT_MS, `Laser ${laserId} off`);
    if (!stillOn) return { line: { laserId, outcome: 'confirmed-off' } };
    const error = new StateError(
      `Laser ${laserId}: emission still reads ON after the off command; use the hardware interlock or key switch`,
      { laserId },
    );
    return { line: { laserId, outcome: 'unconfirmed', reason: error.message }, error };
  } catch (err) {
    const error =
      err instanceof AquilaError
        ? err
        : new StateError(`Laser ${laserId}: ${(err as Error).message}`, { laserId });
    const unreachable = error instanceof DisconnectedError || error instanceof TimeoutError;
    return {
      line: {
        laserId,
        outcome: unreachable ? 'unreachable' : 'unconfirmed',
        reason: error.message,
      },
      error,
    };
  }
}
