/**
 * Issue #16 §2: a dataset's SLURM analysis jobs in the Data tab — state, SLURM job id and
 * state, exit code and output file (a path on the cluster), with resubmit and cancel.
 */
import type { AnalysisView } from '../../electron/api/contract';
import { useHost, useUi } from './host-context';

const NO_JOBS: readonly AnalysisView[] = [];

/** Job state → the outcome colour classes the dataset list uses. */
export function analysisClass(state: AnalysisView['state']): string {
  switch (state) {
    case 'completed':
      return 'ok';
    case 'failed':
      return 'bad';
    case 'cancelled':
      return 'dim';
    default:
      return 'active';
  }
}

/** One line of what SLURM said: `job 42 FAILED · exit 3 · attempt 2/2`. */
export function describeSlurm(v: AnalysisView): string {
  const a = v.attempts.at(-1);
  if (!a) return 'not submitted yet';
  const parts = [
    a.jobId ? `job ${a.jobId}${a.slurmState ? ` ${a.slurmState}` : ''}` : 'submitting',
  ];
  if (a.exitCode !== null)
    parts.push(`exit ${a.exitCode}${a.signal ? ` (signal ${a.signal})` : ''}`);
  if (v.attempts.length > 1) parts.push(`attempt ${v.attempts.length}/${v.maxAttempts}`);
  return parts.join(' · ');
}

export function AnalysisJobs({ dir, name }: { dir: string; name: string }) {
  const host = useHost();
  const all = useUi((s) => s.mirror?.state.analysis ?? NO_JOBS);
  const jobs = all.filter((v) => v.dataset === dir);
  if (jobs.length === 0) return null;
  return (
    <ul className="analysis-jobs" data-testid={`analysis-${name}`}>
      {jobs.map((v) => {
        const a = v.attempts.at(-1);
        const active = ['queued', 'submitting', 'submitted'].includes(v.state);
        return (
          <li key={v.id} data-testid={`analysis-${name}-${v.job}`} title={v.reason ?? undefined}>
            <div className="row sub">
              <span>analysis {v.job}</span>
              <span
                className={`outcome ${analysisClass(v.state)}`}
                data-testid={`analysis-${name}-${v.job}-state`}
              >
                {v.state}
              </span>
              <span data-testid={`analysis-${name}-${v.job}-slurm`}>{describeSlurm(v)}</span>
              <button
                type="button"
                data-testid={`analysis-${name}-${v.job}-${active ? 'cancel' : 'submit'}`}
                onClick={() =>
                  void host.run(active ? 'analysis.cancel' : 'analysis.submit', {
                    dataset: name,
                    job: v.job,
                  })
                }
              >
                {active ? 'Cancel' : 'Resubmit'}
              </button>
            </div>
            {a?.outputFile && (
              <div className="row sub">
                output <code data-testid={`analysis-${name}-${v.job}-output`}>{a.outputFile}</code>
              </div>
            )}
            {v.reason && v.state !== 'completed' && <div className="row sub">{v.reason}</div>}
          </li>
        );
      })}
    </ul>
  );
}
