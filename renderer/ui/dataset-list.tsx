/** Datasets in the datasets folder (newest first); closed ones can be archived to a target. */
import type { DatasetEntry, UploadView } from '../../electron/api/contract';
import { AnalysisJobs } from './analysis-jobs';
import { formatStarted } from './format';
import { useHost, useUi } from './host-context';

const NO_DATASETS: readonly DatasetEntry[] = [];
const NO_UPLOADS: readonly UploadView[] = [];
const NO_TARGETS: readonly string[] = [];

/** Outcome → colour class (complete green, running blue, interrupted amber, failed red). */
export function outcomeClass(outcome: string): string {
  switch (outcome) {
    case 'complete':
      return 'ok';
    case 'running':
      return 'active';
    case 'interrupted':
      return 'warn';
    case 'failed':
      return 'bad';
    default:
      return 'dim';
  }
}

export function DatasetList() {
  const host = useHost();
  const datasets = useUi((s) => s.mirror?.state.datasets ?? NO_DATASETS);
  const targets = useUi((s) => s.mirror?.state.storage?.uploadTargets ?? NO_TARGETS);
  const uploads = useUi((s) => s.mirror?.state.uploads ?? NO_UPLOADS);
  // An archive button is pointless while that dataset × target is queued or moving. The
  // queue names a dataset by its folder (or by the name it was enqueued with).
  const busy = new Set(
    uploads
      .filter((u) => !['failed', 'cancelled'].includes(u.state))
      .map((u) => `${u.dataset}\u0000${u.target}`),
  );
  const isBusy = (d: DatasetEntry, t: string) =>
    busy.has(`${d.dir}\u0000${t}`) || busy.has(`${d.name}\u0000${t}`);
  return (
    <section className="panel" data-testid="dataset-list">
      <h2>
        Datasets <span className="sub">{datasets.length}</span>
      </h2>
      {datasets.length === 0 && <p className="empty">No datasets yet.</p>}
      <ul className="datasets">
        {datasets.map((d) => (
          <li key={d.dir} data-testid={`dataset-${d.name}`} title={d.dir}>
            <div className="row">
              <b className="ds-name">{d.name}</b>
              <span
                className={`outcome ${outcomeClass(d.outcome)}`}
                data-testid={`dataset-${d.name}-outcome`}
              >
                {d.outcome}
              </span>
            </div>
            <div className="row sub">
              <span data-testid={`dataset-${d.name}-frames`}>{d.framesWritten ?? '—'} frames</span>
              <span>started {formatStarted(d.startedAt)}</span>
              <span data-testid={`dataset-${d.name}-closed`}>{d.closed ? 'closed' : 'open'}</span>
            </div>
            {d.closed && targets.length > 0 && (
              <div className="row">
                {targets.map((t) => {
                  const queued = isBusy(d, t);
                  return (
                    <button
                      type="button"
                      key={t}
                      data-testid={`archive-${d.name}-${t}`}
                      disabled={queued}
                      title={queued ? `already queued for or archived on ${t}` : undefined}
                      onClick={() =>
                        void host.run('upload.enqueue', { dataset: d.name, target: t })
                      }
                    >
                      Archive to {t}
                    </button>
                  );
                })}
              </div>
            )}
            <AnalysisJobs dir={d.dir} name={d.name} />
          </li>
        ))}
      </ul>
    </section>
  );
}
