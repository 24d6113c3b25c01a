/**
 * The host's focus lock: built when the config has a focus sensor and a Z drive, moving Z
 * through the safety layer, mirrored into AppState.focusLock, and throttling the Z readout
 * while it holds (the loop makes ~50 small moves/s).
 */
import { realTime, sleepOn, type SimClock } from '../../drivers/sim/sim-clock';
import { FocusLockControl } from '../automation/flimp/lock-handle';
import { FocusLock } from '../automation/focus-lock';
import type { SafetyLayer } from '../safety/safety-layer';
import type { DeviceManager } from './device-manager';
import type { Logger } from './logger';
import type { StateStore } from './state-store';

/** While the focus lock moves Z, the Z readout is published this often at most. */
const LOCKED_Z_READOUT_MS = 200;

/** The focus-lock handle, or null without a focus sensor or a Z drive. */
export function createFocusLockControl(deps: {
  devices: DeviceManager;
  safety: SafetyLayer;
  store: StateStore;
  log: Logger;
  /** The loop's period and the samples' times are on this clock (default real time). */
  time?: SimClock;
}): FocusLockControl | null {
  const { devices, safety, store } = deps;
  const time = deps.time ?? realTime;
  const focus = devices.focus;
  if (!devices.focusSensor || !focus) return null;
  return new FocusLockControl(
    new FocusLock(
      {
        sensor: devices.focusSensor,
        focus: {
          moveToUm: (z) => safety.moveFocusTo(z),
          positionUm: () => focus.getPositionUm(),
        },
        log: (m) => deps.log.log('info', m),
      },
      { sleep: deps.time && ((ms) => sleepOn(time, ms)) },
    ),
    () => focus.getPositionUm(),
    (view) =>
      store.update((s) => {
        s.focusLock = view;
      }),
    (engaged) => devices.limitRefreshRate(focus.id, engaged ? LOCKED_Z_READOUT_MS : null),
    () => time.epochMs(),
  );
}
