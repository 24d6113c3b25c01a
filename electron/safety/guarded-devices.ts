/**
 * Device objects for in-host callers that want the device interfaces (the acquisition
 * engine, automation, macros) but must not bypass safety: every motion, stop and emission
 * goes through the SafetyLayer (so a stop fails the moves it ends, for every caller);
 * position reads go through it too (they keep its jog reference fresh); other reads pass
 * through. Connection is the device manager's job.
 */
import type {
  Camera,
  DeviceIdentity,
  Laser,
  XYPositionUm,
  XYStage,
  ZDrive,
} from '../../drivers/devices';
import { StateError } from '../../drivers/errors';
import type { SafetyDevices, SafetyLayer } from './safety-layer';

const managed = async (): Promise<never> => {
  throw new StateError('Device connections are managed by the host (use device.reconnect)');
};

export interface GuardedDevices {
  stage: XYStage | null;
  focus: ZDrive | null;
  camera: Camera | null;
  lasers: Laser[];
}

export function guardDevices(raw: SafetyDevices, safety: SafetyLayer): GuardedDevices {
  const stage = raw.stage;
  const focus = raw.focus;
  return {
    stage: !stage
      ? null
      : {
          id: stage.id,
          kind: 'xy-stage',
          connect: managed as () => Promise<DeviceIdentity>,
          disconnect: managed,
          subscribe: (l) => stage.subscribe(l),
          getPositionUm: () => safety.readXy(stage),
          moveToUm: (target: XYPositionUm) => safety.moveStageTo(target),
          stop: () => safety.stopStage(),
          isBusy: () => stage.isBusy(),
        },
    focus: !focus
      ? null
      : {
          id: focus.id,
          kind: 'z-drive',
          connect: managed as () => Promise<DeviceIdentity>,
          disconnect: managed,
          subscribe: (l) => focus.subscribe(l),
          getPositionUm: () => safety.readZ(focus),
          moveToUm: (zUm: number) => safety.moveFocusTo(zUm),
          stop: () => safety.stopFocus(),
          isBusy: () => focus.isBusy(),
        },
    camera: raw.camera ?? null,
    lasers: [...raw.lasers.values()].map((laser): Laser => ({
      id: laser.id,
      kind: 'laser',
      wavelengthNm: laser.wavelengthNm,
      maxPowerMw: laser.maxPowerMw,
      connect: managed as () => Promise<DeviceIdentity>,
      disconnect: managed,
      subscribe: (l) => laser.subscribe(l),
      setEmission: (on) => safety.setLaserEmission(laser.id, on),
      getEmission: () => laser.getEmission(),
      setPowerMw: (p) => safety.setLaserPower(laser.id, p),
      getPowerMw: () => laser.getPowerMw(),
      getInterlock: () => laser.getInterlock(),
    })),
  };
}
