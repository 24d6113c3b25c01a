/**
 * A host on wire-driver devices (ports the test owns, or `sim:` ports), with its log kept
 * and a `call` that answers like the API does. For the safety-at-the-wire tests.
 */
import { parseConfig } from '../../electron/config/load';
import type { CallContext } from '../../electron/host/command-handlers';
import { createHost, type Host } from '../../electron/host/host';
import { tempDir } from './temp-dir';

export const wireLimits = {
  xUm: { min: -400, max: 600 },
  yUm: { min: -500, max: 300 },
  zUm: { min: -40, max: 60 },
};

export interface WireHost {
  host: Host;
  /** Every log line as `level message`. */
  logs: string[];
  call(name: string, args?: unknown): ReturnType<Host['call']>;
}

const caller: CallContext = { clientId: 'wire-test', transport: 'internal' };

export async function wireHost(
  devices: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
): Promise<WireHost> {
  const logs: string[] = [];
  const config = {
    name: 'safety at the wire',
    devices,
    limits: wireLimits,
    storage: { datasetsRoot: tempDir('aquila-wire-host-') },
    ...extra,
  };
  const host = await createHost(
    { path: '/virtual/wire-host.json', config: parseConfig(JSON.stringify(config), 'wire-host') },
    { log: { log: (level, message) => void logs.push(`${level} ${message}`) } },
  );
  return { host, logs, call: (name, args = {}) => host.call(name, args, caller) };
}
