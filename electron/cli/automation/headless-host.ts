/**
 * A headless host for the automation CLI commands, started as `acquire` does: config from
 * --config (default: the simulated microscope), datasets into --out (refused up front when
 * unusable), a safety supervisor for serial devices, process guards on (lasers off on
 * signals, crashes and the parent's death); shut down when `body` ends.
 */
import { ValidationError } from '../../../drivers/errors';
import { loadConfig } from '../../config/load';
import { expandHome } from '../../host/acquisition-service';
import type { Host } from '../../host/host';
import { installProcessGuards } from '../../host/process-guards';
import { createSupervisedHost } from '../../safety/supervisor/supervised-host';
import type { CallContext } from '../../host/command-handlers';
import { flagString, type ParsedArgs } from '../args';
import type { CliIo } from '../types';
import { ensureUsableDir } from '../usable-dir';

export const CLI_CTX: CallContext = { clientId: 'cli', transport: 'cli' };

export async function withHeadlessHost(
  args: ParsedArgs,
  io: CliIo,
  body: (host: Host) => Promise<number>,
): Promise<number> {
  const loaded = await loadConfig(flagString(args, 'config'));
  const out = flagString(args, 'out');
  loaded.config.storage.datasetsRoot = ensureUsableDir(
    out ?? expandHome(loaded.config.storage.datasetsRoot),
    out ? '--out' : `${loaded.path}: storage.datasetsRoot`,
  );
  // Host log lines go to stderr with the progress; stdout carries results only.
  const host = await createSupervisedHost(loaded, {
    log: { log: (level, m) => level !== 'debug' && io.err(`${level}: ${m}`) },
  });
  const uninstall = installProcessGuards(host, { exitWithParent: true });
  try {
    return await body(host);
  } finally {
    await host.shutdown('cli command finished');
    uninstall();
  }
}

/** Calls an API command; prints `aquila NAME: CODE: message` and returns null when it fails. */
export async function callOrReport(
  host: Host,
  io: CliIo,
  cli: string,
  name: string,
  args: unknown,
): Promise<unknown> {
  const r = await host.call(name, args, CLI_CTX);
  if (r.ok) return r.value;
  io.err(`aquila ${cli}: ${r.error.code}: ${r.error.message}`);
  return null;
}

/** Optional --x/--y, --z moves and --channel preset before a command. */
export async function applyPlacementFlags(
  host: Host,
  io: CliIo,
  cli: string,
  args: ParsedArgs,
): Promise<boolean> {
  const num = (name: string) => {
    const v = flagString(args, name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new ValidationError(`--${name} must be a number, got "${v}"`);
    return n;
  };
  const x = num('x');
  const y = num('y');
  const z = num('z');
  if ((x === undefined) !== (y === undefined)) {
    io.err(`aquila ${cli}: give both --x and --y`);
    return false;
  }
  if (x !== undefined && y !== undefined)
    if ((await callOrReport(host, io, cli, 'stage.moveTo', { xUm: x, yUm: y })) === null)
      return false;
  if (z !== undefined)
    if ((await callOrReport(host, io, cli, 'focus.moveTo', { zUm: z })) === null) return false;
  const channel = flagString(args, 'channel');
  if (channel !== undefined)
    if ((await callOrReport(host, io, cli, 'channel.apply', { name: channel })) === null)
      return false;
  return true;
}
