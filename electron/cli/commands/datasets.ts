/**
 * `aquila datasets [--json]` — the datasets in the running host's datasets folder, newest
 * first. The host re-reads the folder first (`datasets.refresh`), so datasets written by
 * `aquila acquire` into the same folder while `serve` runs are listed (and shown in the UI).
 */
import { ValidationError } from '../../../drivers/errors';
import type { CommandResult, DatasetEntry } from '../../api/contract';
import { parseArgs } from '../args';
import { findHost, requestHost, type HostOutcome } from '../host-client';
import type { CliCommand } from '../types';

export function describeDataset(d: DatasetEntry): string {
  const frames = d.framesWritten === null ? '' : `, ${d.framesWritten} frames`;
  return `${d.name}  ${d.outcome}${frames}${d.closed ? ', closed' : ''}  ${d.dir}`;
}

export const command: CliCommand = {
  name: 'datasets',
  usage: 'aquila datasets [--json]',
  summary:
    "List the datasets in the running host's datasets folder, newest first (--json: the host's entries as JSON).",
  async run(argv, io) {
    const args = parseArgs(argv, { booleans: ['json'] });
    if (args.positionals.length > 0)
      throw new ValidationError('usage: aquila datasets [--json] (takes no other arguments)');
    const { json } = await requestHost(findHost(), '/api/commands/datasets.refresh', '{}');
    const outcome = json as HostOutcome;
    if (!outcome.ok) {
      io.err(`${outcome.error?.code}: ${outcome.error?.message}`);
      return 1;
    }
    const { datasetsRoot, datasets } = outcome.value as CommandResult<'datasets.refresh'>;
    if (args.flags.has('json')) {
      io.out(JSON.stringify({ datasetsRoot, datasets }));
      return 0;
    }
    if (datasets.length === 0) io.out(`No datasets in ${datasetsRoot}`);
    for (const d of datasets) io.out(describeDataset(d));
    return 0;
  },
};
