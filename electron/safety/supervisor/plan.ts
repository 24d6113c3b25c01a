/**
 * What the safety supervisor watches: the serial lasers and stage controllers of one host,
 * with the port settings it needs to reach them on its own. The host sends the plan as the
 * first line on the supervisor's stdin (JSON); this module is shared by both sides and
 * imports nothing, so the supervisor needs no config or schema library to read it.
 */

/** Drivers whose lasers the supervisor can switch off. */
export const SUPERVISED_LASER_DRIVERS = ['obis', 'cobolt'] as const;
/** Drivers whose stage controllers the supervisor can halt. */
export const SUPERVISED_STAGE_DRIVERS = ['asi-ms2000', 'asi-tiger', 'prior-proscan'] as const;

export type SupervisedLaserDriver = (typeof SUPERVISED_LASER_DRIVERS)[number];
export type SupervisedStageDriver = (typeof SUPERVISED_STAGE_DRIVERS)[number];

interface PortSettings {
  /** Device path, e.g. `/dev/ttyACM0`. */
  port: string;
  baudRate: number;
  stopBits: 1 | 2;
}

export type SupervisedDevice =
  | ({ role: 'laser'; ids: string[]; driver: SupervisedLaserDriver } & PortSettings)
  | ({ role: 'stage'; ids: string[]; driver: SupervisedStageDriver } & PortSettings);

export interface SupervisorPlan {
  /** The host's pid, for the report. */
  hostPid: number;
  /** Folder for the report file the next host start shows. */
  reportDir: string;
  /** One entry per port (an XY stage and a Z drive on one controller share an entry). */
  devices: SupervisedDevice[];
}

/** Thrown for a plan line that is not what the host sends; says what was wrong and where. */
export class PlanError extends Error {}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], where: string): T {
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  throw new PlanError(`${where}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
}

function parseDevice(v: unknown, where: string): SupervisedDevice {
  if (!isRecord(v)) throw new PlanError(`${where}: expected an object`);
  const { role, ids, port, baudRate, stopBits } = v;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((i) => typeof i === 'string'))
    throw new PlanError(`${where}.ids: expected a non-empty list of device ids`);
  if (typeof port !== 'string' || port === '')
    throw new PlanError(`${where}.port: expected a device path`);
  if (typeof baudRate !== 'number' || !Number.isInteger(baudRate) || baudRate <= 0)
    throw new PlanError(`${where}.baudRate: expected a positive integer, got ${String(baudRate)}`);
  if (stopBits !== 1 && stopBits !== 2)
    throw new PlanError(`${where}.stopBits: expected 1 or 2, got ${String(stopBits)}`);
  const settings = { ids: ids as string[], port, baudRate, stopBits } as const;
  if (oneOf(role, ['laser', 'stage'], `${where}.role`) === 'laser')
    return {
      role: 'laser',
      driver: oneOf(v.driver, SUPERVISED_LASER_DRIVERS, `${where}.driver`),
      ...settings,
    };
  return {
    role: 'stage',
    driver: oneOf(v.driver, SUPERVISED_STAGE_DRIVERS, `${where}.driver`),
    ...settings,
  };
}

/** Parses and checks the plan line; throws PlanError naming the bad field. */
export function parsePlan(line: string): SupervisorPlan {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (err) {
    throw new PlanError(`plan: not JSON (${(err as Error).message})`);
  }
  if (!isRecord(v)) throw new PlanError('plan: expected a JSON object');
  const { hostPid, reportDir, devices } = v;
  if (typeof hostPid !== 'number' || !Number.isInteger(hostPid) || hostPid <= 0)
    throw new PlanError(`plan.hostPid: expected a process id, got ${String(hostPid)}`);
  if (typeof reportDir !== 'string' || reportDir === '')
    throw new PlanError('plan.reportDir: expected a folder path');
  if (!Array.isArray(devices)) throw new PlanError('plan.devices: expected a list');
  return {
    hostPid,
    reportDir,
    devices: devices.map((d, i) => parseDevice(d, `plan.devices[${i}]`)),
  };
}
