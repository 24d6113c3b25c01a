import type { AnyDevice, DeviceKind } from '../devices';
import { SimLaser, SimXYStage, SimZDrive } from './sim-devices';
import { SimCamera } from './camera';
import { SimFocusSensor } from './focus-sensor';
import type { SimWorld } from './world';

export { SimWorld } from './world';

export function createSimDevice(
  spec: { id: string; kind: DeviceKind; options: Record<string, unknown> },
  world: SimWorld,
): AnyDevice {
  switch (spec.kind) {
    case 'xy-stage':
      return new SimXYStage(spec.id, world, spec.options);
    case 'z-drive':
      return new SimZDrive(spec.id, world, spec.options);
    case 'laser':
      return new SimLaser(spec.id, world, spec.options);
    case 'camera':
      return new SimCamera(spec.id, world, spec.options);
    case 'focus-sensor':
      return new SimFocusSensor(spec.id, world, spec.options);
  }
}
