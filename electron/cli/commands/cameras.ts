/**
 * `aquila cameras [--json] [--address IP[,IP…]] [--interface NAME[,NAME…]] [--window MS]` —
 * GigE Vision cameras that answer discovery: at the given addresses, and by subnet broadcast
 * on the given interfaces (default, when no address is given: every external IPv4 interface).
 */
import os from 'node:os';
import { broadcastAddressOf, discoverGige } from '../../../drivers/cameras/gige/discovery';
import { ValidationError } from '../../../drivers/errors';
import { flagInt, flagString, parseArgs } from '../args';
import type { CliCommand } from '../types';

const USAGE =
  'aquila cameras [--json] [--address IP[,IP…]] [--interface NAME[,NAME…]] [--window MS]';

const list = (v: string | undefined) =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

export const command: CliCommand = {
  name: 'cameras',
  usage: USAGE,
  summary: 'Find GigE Vision cameras (GVCP discovery); USB3 Vision is not supported yet',
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: ['address', 'interface', 'window'],
      booleans: ['json'],
    });
    if (args.positionals.length > 0)
      throw new ValidationError(`unexpected argument "${args.positionals[0]}"; usage: ${USAGE}`);
    const addresses = list(flagString(args, 'address'));
    for (const a of addresses)
      if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(a))
        throw new ValidationError(`--address: "${a}" is not an IPv4 address; usage: ${USAGE}`);
    let interfaces = list(flagString(args, 'interface'));
    if (interfaces.length === 0 && addresses.length === 0)
      interfaces = Object.entries(os.networkInterfaces())
        .filter(([, infos]) => infos?.some((i) => i.family === 'IPv4' && !i.internal))
        .map(([name]) => name);
    const targets = [...addresses, ...interfaces.map((name) => broadcastAddressOf(name))];
    const found = await discoverGige({
      addresses: targets,
      windowMs: flagInt(args, 'window', 500, 10_000),
    });
    if (args.flags.has('json')) {
      io.out(JSON.stringify({ gige: found, asked: targets }, null, 2));
      return 0;
    }
    if (found.length === 0) {
      io.out(`No GigE Vision camera answered (asked ${targets.join(', ') || 'nowhere'}).`);
      return 0;
    }
    for (const c of found)
      io.out(
        `gige-vision  ${c.ip}  ${c.vendor} ${c.model}  serial ${c.serial}  firmware ${c.firmware}  mac ${c.mac}` +
          (c.from !== c.ip ? `  (answered from ${c.from})` : ''),
      );
    return 0;
  },
};
