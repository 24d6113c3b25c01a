/**
 * `aquila audit [--user U] [--command C] [--since T] [--until T] [--limit N] [--dir DIR]` —
 * exports the audit trail as JSON lines (oldest first). T is an ISO date/time or epoch ms;
 * C is a command name or "prefix.*". Reads the files directly (no host needed): AQUILA_HOME
 * (default ~/.aquila)/audit, or `--dir`.
 */
import path from 'node:path';
import { ValidationError } from '../../../drivers/errors';
import { AuditLog, type AuditQuery } from '../../host/audit-log';
import { flagInt, flagString, parseArgs } from '../args';
import { sessionDir } from '../session-file';
import type { CliCommand } from '../types';

function timeFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms))
    throw new ValidationError(`--${flag} must be an ISO date/time or epoch ms, got "${value}"`);
  return ms;
}

export const command: CliCommand = {
  name: 'audit',
  usage: 'aquila audit [--user U] [--command C] [--since T] [--until T] [--limit N] [--dir DIR]',
  summary: 'Export the audit trail (who did what, when) as JSON lines, oldest first.',
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['user', 'command', 'since', 'until', 'limit', 'dir'] });
    if (args.positionals.length > 0)
      throw new ValidationError(`unexpected argument "${args.positionals[0]}"`);
    const q: AuditQuery = { limit: flagInt(args, 'limit', Number.MAX_SAFE_INTEGER) };
    const user = flagString(args, 'user');
    const cmd = flagString(args, 'command');
    const since = timeFlag(flagString(args, 'since'), 'since');
    const until = timeFlag(flagString(args, 'until'), 'until');
    if (user !== undefined) q.user = user;
    if (cmd !== undefined) q.command = cmd;
    if (since !== undefined) q.sinceMs = since;
    if (until !== undefined) q.untilMs = until;
    const log = new AuditLog(flagString(args, 'dir') ?? path.join(sessionDir(), 'audit'));
    for (const e of log.query(q)) io.out(JSON.stringify(e));
    return 0;
  },
};
