/** Registry entry: driver `prior-proscan` (an XY stage and a Z drive on one controller). */
import type { DriverEntry } from '../../driver-types';
import { parseOrThrow } from '../../validation';
import { ControllerXYStage, ControllerZDrive, sharedController } from '../stage-controller';
import { PriorController } from './prior-controller';
import { priorOptionsSchema } from './prior-options';

export const priorDrivers: Record<string, DriverEntry> = {
  'prior-proscan': {
    kinds: ['xy-stage', 'z-drive'],
    description: 'Prior ProScan III XY stage and Z drive (serial; one controller, two devices)',
    create: (spec, ctx) => {
      const options = parseOrThrow(priorOptionsSchema, spec.options, `device "${spec.id}" options`);
      const shared = sharedController(
        ctx,
        options.port,
        spec.id,
        () => new PriorController(options, `${spec.id}@${options.port}`, ctx),
      );
      return spec.kind === 'xy-stage'
        ? new ControllerXYStage(spec.id, shared)
        : new ControllerZDrive(spec.id, shared);
    },
  },
};
