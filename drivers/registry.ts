/**
 * Driver registry: `driver` name in the config → factory. Each factory validates its own
 * `options` and returns a device that is not yet connected.
 */
import type { AnyDevice } from './devices';
import type { DeviceSpecLike, DriverContext, DriverEntry } from './driver-types';
import { ValidationError } from './errors';
import { createSimDevice } from './sim';
import { asiDrivers } from './stages/asi';
import { priorDrivers } from './stages/prior';
import { createObisLaser } from './lasers/obis/obis-laser';
import { createCoboltLaser } from './lasers/cobolt/cobolt-laser';
import { createGigeCamera } from './cameras/gige/gige-camera';
import { createU3vCamera } from './cameras/u3v/u3v-camera';

export type { DeviceSpecLike, DriverContext, DriverEntry } from './driver-types';

export const driverRegistry: Record<string, DriverEntry> = {
  sim: {
    kinds: ['xy-stage', 'z-drive', 'laser', 'camera', 'focus-sensor'],
    description: 'In-process simulated microscope (shared virtual sample)',
    create: (spec, ctx) => createSimDevice(spec, ctx.simWorld()),
  },
  ...asiDrivers,
  ...priorDrivers,
  obis: {
    kinds: ['laser'],
    description: 'Coherent OBIS LX/LS laser over serial (port "sim:obis" runs its wire simulator)',
    create: (spec, ctx) => createObisLaser(spec, ctx),
  },
  cobolt: {
    kinds: ['laser'],
    description:
      'Cobolt 06-series laser, classic command set (port "sim:cobolt" runs its wire simulator)',
    create: (spec, ctx) => createCoboltLaser(spec, ctx),
  },
  'gige-vision': {
    kinds: ['camera'],
    description:
      'GigE Vision camera (GenICam) over UDP; options.address is its IPv4 address, or options.serial / options.mac select it by discovery',
    create: (spec, ctx) => createGigeCamera(spec, ctx),
  },
  'usb3-vision': {
    kinds: ['camera'],
    description:
      'USB3 Vision camera (GenICam) over USB (node-usb); options.vendorId/productId/serial select it, options.simulate uses the built-in simulator',
    create: (spec, ctx) => createU3vCamera(spec, ctx),
  },
};

export function createDevice(spec: DeviceSpecLike, ctx: DriverContext): AnyDevice {
  const entry = driverRegistry[spec.driver];
  if (!entry) {
    throw new ValidationError(
      `device "${spec.id}": unknown driver "${spec.driver}" (known: ${Object.keys(driverRegistry).join(', ')})`,
    );
  }
  if (!entry.kinds.includes(spec.kind)) {
    throw new ValidationError(
      `device "${spec.id}": driver "${spec.driver}" cannot be a ${spec.kind} (it provides ${entry.kinds.join(', ')})`,
    );
  }
  return entry.create(spec, ctx);
}
