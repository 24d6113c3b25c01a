/**
 * Host side: the supervisor's plan from the config. Each serial laser and stage entry is
 * read with its driver's own options schema (so defaults such as a baud rate are the
 * driver's); entries sharing a port (XY and Z on one controller) become one plan entry.
 * `sim` devices and `sim:` ports live inside the host's memory and die with it: they are
 * listed as not covered, as is any driver the supervisor has no off/halt command for.
 */
import type { z } from 'zod';
import { coboltOptions } from '../../../drivers/lasers/cobolt/cobolt-laser';
import { obisOptions } from '../../../drivers/lasers/obis/obis-laser';
import { asiOptionsSchema } from '../../../drivers/stages/asi/asi-options';
import { priorOptionsSchema } from '../../../drivers/stages/prior/prior-options';
import type { DeviceSpec } from '../../config/schema';
import type { SupervisedDevice, SupervisorPlan } from './plan';

interface PortOptions {
  port: string;
  baudRate: number;
  stopBits?: 1 | 2;
}

const optionSchemas: Record<SupervisedDevice['driver'], z.ZodType<PortOptions>> = {
  obis: obisOptions,
  cobolt: coboltOptions,
  'asi-ms2000': asiOptionsSchema,
  'asi-tiger': asiOptionsSchema,
  'prior-proscan': priorOptionsSchema,
};

export interface PlanFromConfig {
  plan: SupervisorPlan;
  /** Lasers and stages the supervisor cannot reach, each with the reason. */
  notCovered: { id: string; why: string }[];
}

export function planFromConfig(
  devices: readonly DeviceSpec[],
  hostPid: number,
  reportDir: string,
): PlanFromConfig {
  const byPort = new Map<string, SupervisedDevice>();
  const notCovered: PlanFromConfig['notCovered'] = [];
  for (const spec of devices) {
    if (spec.kind === 'camera') continue;
    const role = spec.kind === 'laser' ? 'laser' : 'stage';
    const schema = optionSchemas[spec.driver as SupervisedDevice['driver']] as
      z.ZodType<PortOptions> | undefined;
    if (spec.driver === 'sim') {
      notCovered.push({ id: spec.id, why: 'simulated in the host (ends with it)' });
      continue;
    }
    if (!schema) {
      notCovered.push({ id: spec.id, why: `no supervisor command for driver "${spec.driver}"` });
      continue;
    }
    const parsed = schema.safeParse(spec.options);
    // Invalid options make the host itself refuse the config; nothing to supervise here.
    if (!parsed.success) continue;
    const o = parsed.data;
    if (o.port.startsWith('sim:')) {
      notCovered.push({ id: spec.id, why: `wire simulator "${o.port}" runs inside the host` });
      continue;
    }
    const known = byPort.get(o.port);
    if (known) {
      known.ids.push(spec.id);
      continue;
    }
    const settings = {
      ids: [spec.id],
      port: o.port,
      baudRate: o.baudRate,
      stopBits: o.stopBits ?? 1,
    };
    byPort.set(
      o.port,
      role === 'laser'
        ? { role, driver: spec.driver as 'obis' | 'cobolt', ...settings }
        : {
            role,
            driver: spec.driver as 'asi-ms2000' | 'asi-tiger' | 'prior-proscan',
            ...settings,
          },
    );
  }
  return { plan: { hostPid, reportDir, devices: [...byPort.values()] }, notCovered };
}
