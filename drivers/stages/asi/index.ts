/**
 * Registry entries: drivers `asi-ms2000` and `asi-tiger` (an XY stage and a Z drive on one
 * controller). Their wire simulators register from `./asi-wire-sims` (kept apart so the
 * simulator registry does not import driver code).
 */
import type { DeviceSpecLike, DriverContext, DriverEntry } from '../../driver-types';
import { parseOrThrow } from '../../validation';
import { ControllerXYStage, ControllerZDrive, sharedController } from '../stage-controller';
import { AsiController, type AsiModel } from './asi-controller';
import { asiOptionsSchema } from './asi-options';

function createAsiDevice(model: AsiModel, spec: DeviceSpecLike, ctx: DriverContext) {
  const options = parseOrThrow(asiOptionsSchema, spec.options, `device "${spec.id}" options`);
  const shared = sharedController(
    ctx,
    options.port,
    spec.id,
    () => new AsiController(model, options, `${spec.id}@${options.port}`, ctx),
  );
  return spec.kind === 'xy-stage'
    ? new ControllerXYStage(spec.id, shared)
    : new ControllerZDrive(spec.id, shared);
}

export const asiDrivers: Record<string, DriverEntry> = {
  'asi-ms2000': {
    kinds: ['xy-stage', 'z-drive'],
    description: 'ASI MS-2000 XY stage and Z drive (serial; one controller, two devices)',
    create: (spec, ctx) => createAsiDevice('ms2000', spec, ctx),
  },
  'asi-tiger': {
    kinds: ['xy-stage', 'z-drive'],
    description: 'ASI Tiger TG-1000 XY stage and Z drive (serial; axes discovered with BU X)',
    create: (spec, ctx) => createAsiDevice('tiger', spec, ctx),
  },
};
