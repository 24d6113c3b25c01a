/**
 * A useq autofocus event of an MDA run (`autofocus_plan`): at the event's position, device
 * "software" runs the software autofocus under the event's channel; the focus-sensor's id
 * (or no device name) uses the focus lock — `autofocus_motor_offset` sets its offset (µm),
 * then it must hold (engaged if off). Any other device name is refused.
 */
import { StateError } from '../../drivers/errors';
import type { FocusLockControl } from '../automation/flimp/lock-handle';
import type { AquilaConfig } from '../config/schema';
import type { MdaEvent } from '../plans/events';
import type { AcquisitionEngine } from '../runner/types';

export interface EventAutofocusDeps {
  config: AquilaConfig;
  focusSensorId: string | undefined;
  /** Software autofocus with frames under `light` (the event's channel preset), or as lit now. */
  softwareAutofocus(
    engine: AcquisitionEngine,
    light: { laserId: string; powerMw: number; exposureMs: number; name?: string } | null,
  ): Promise<unknown>;
  requireLock(): FocusLockControl;
}

export async function runEventAutofocus(
  e: MdaEvent,
  engine: AcquisitionEngine,
  deps: EventAutofocusDeps,
): Promise<void> {
  const a = e.action!;
  const device = a.autofocus_device_name;
  const sensorId = deps.focusSensorId;
  if (device !== 'software' && device !== null && device !== sensorId)
    throw new StateError(
      `autofocus device "${device}" is not configured (use ${sensorId ? `"${sensorId}" (focus lock) or ` : ''}"software")`,
    );
  const setup: { xUm?: number; yUm?: number; zUm?: number } = {};
  if (e.x_pos !== undefined) setup.xUm = e.x_pos;
  if (e.y_pos !== undefined) setup.yUm = e.y_pos;
  if (e.z_pos !== undefined && device === 'software') setup.zUm = e.z_pos;
  await engine.setupEvent(setup);
  if (device === 'software') {
    const preset = e.channel
      ? deps.config.channels.find((c) => c.name === e.channel!.config)
      : undefined;
    try {
      await deps.softwareAutofocus(engine, preset ?? null);
    } finally {
      await engine.lasersOff();
    }
    return;
  }
  const lock = deps.requireLock();
  if (a.autofocus_motor_offset !== null) lock.setOffsetUm(a.autofocus_motor_offset);
  await lock.hold(new AbortController().signal);
}
