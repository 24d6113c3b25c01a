/**
 * `aquila analysis status|submit|cancel DATASET [--job NAME] [--target NAME] [--json]` — the
 * SLURM analysis jobs of a dataset in the running host's datasets folder (issue #16 §2):
 * `status` polls SLURM and prints each job's state, SLURM job id and state, exit code and
 * output file; `submit` (re)submits (a failed or cancelled job starts a new attempt);
 * `cancel` runs scancel. Exit codes: 0 done, 1 the host refused (message printed), 2 bad usage.
 */
import { ValidationError } from '../../../drivers/errors';
import type { AnalysisView, CommandResult } from '../../api/contract';
import { flagString, parseArgs } from '../args';
import { findHost, requestHost, type HostOutcome } from '../host-client';
import type { CliCommand } from '../types';

const USAGE = 'aquila analysis status|submit|cancel DATASET [--job NAME] [--target NAME] [--json]';
const VERBS = ['status', 'submit', 'cancel'] as const;

export function describeAnalysis(v: AnalysisView): string {
  const a = v.attempts.at(-1);
  const parts = [`${v.datasetName} ${v.job}: ${v.state}`];
  if (a?.jobId) parts.push(`job ${a.jobId}${a.slurmState ? ` ${a.slurmState}` : ''}`);
  if (a?.exitCode !== null && a?.exitCode !== undefined)
    parts.push(`exit code ${a.exitCode}${a.signal ? ` (signal ${a.signal})` : ''}`);
  if (v.attempts.length > 1) parts.push(`attempt ${v.attempts.length}`);
  if (a?.outputFile) parts.push(`output ${a.outputFile}`);
  if (v.reason && v.state !== 'completed') parts.push(v.reason);
  return parts.join(', ');
}

export const command: CliCommand = {
  name: 'analysis',
  usage: USAGE,
  summary:
    "Show, submit or cancel a dataset's SLURM analysis jobs on the running host (see docs/analysis.md)",
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['job', 'target'], booleans: ['json'] });
    const [verb, dataset, extra] = args.positionals;
    if (!verb || !(VERBS as readonly string[]).includes(verb) || !dataset || extra !== undefined)
      throw new ValidationError(`usage: ${USAGE}`);
    const target = flagString(args, 'target');
    if (target !== undefined && verb !== 'submit')
      throw new ValidationError(`--target is for "submit" only; usage: ${USAGE}`);
    const job = flagString(args, 'job');
    const body = JSON.stringify({
      dataset,
      ...(job ? { job } : {}),
      ...(target ? { target } : {}),
    });
    const { json } = await requestHost(findHost(), `/api/commands/analysis.${verb}`, body);
    const outcome = json as HostOutcome;
    if (!outcome.ok) {
      io.err(`${outcome.error?.code}: ${outcome.error?.message}`);
      return 1;
    }
    const { jobs } = outcome.value as CommandResult<'analysis.status'>;
    if (args.flags.has('json')) io.out(JSON.stringify(jobs));
    else if (jobs.length === 0) io.out(`${dataset}: no analysis jobs`);
    else for (const v of jobs) io.out(describeAnalysis(v));
    return 0;
  },
};
