/**
 * Datasets in the datasets folder (newest first): state with the failure reason, frames,
 * size, format, dimensions, folder, where each is archived; closed ones that are neither
 * failed nor empty can be archived to a target.
 */
import type { DatasetEntry, UploadView } from '../../electron/api/contract';
import { AnalysisJobs } from './analysis-jobs';
import { useState } from 'react';
import { DatasetViewer } from './dataset-viewer';
import { formatBytes, formatStarted } from './format';
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

/** Why a dataset cannot be archived, or null when it can (the host refuses the same). */
export function notArchivable(d: DatasetEntry): string | null {
  if (d.outcome === 'failed') return 'failed: not archived';
  if (d.closed && d.framesWritten === 0) return 'empty: not archived';
  return null;
}

/** The viewer reads datasets that have frames, in every format (dataset.readPlane). */
export function viewable(d: DatasetEntry): boolean {
  return (d.framesWritten ?? 0) > 0;
}

/** "t 2 · c 1 · z 3 · 256×256 px" */
export function describeSizes(sizes: DatasetEntry['sizes']): string {
  if (!sizes) return '—';
  return `t ${sizes.t} · c ${sizes.c} · z ${sizes.z} · ${sizes.x}×${sizes.y} px`;
}

export function DatasetList() {
  const host = useHost();
  const datasets = useUi((s) => s.mirror?.state.datasets ?? NO_DATASETS);
  const targets = useUi((s) => s.mirror?.state.storage?.uploadTargets ?? NO_TARGETS);
  const uploads = useUi((s) => s.mirror?.state.uploads ?? NO_UPLOADS);
  // An archive button is pointless while that dataset × target is queued or moving. The
  // queue names a dataset by its folder (or by the name it was enqueued with).
  const of = (d: DatasetEntry, t: string) =>
    uploads.filter((u) => u.target === t && (u.dataset === d.dir || u.dataset === d.name));
  const isBusy = (d: DatasetEntry, t: string) =>
    of(d, t).some((u) => !['failed', 'cancelled'].includes(u.state));
  const [viewing, setViewing] = useState<string | null>(null);
  const archivedOn = (d: DatasetEntry) =>
    targets.filter((t) => of(d, t).some((u) => u.state === 'done'));
  return (
    <section className="panel" data-testid="dataset-list">
      <h2>
        Datasets <span className="sub">{datasets.length}</span>
      </h2>
      {datasets.length === 0 && <p className="empty">No datasets yet.</p>}
      <ul className="datasets">
        {datasets.map((d) => {
          const archived = archivedOn(d);
          const refused = notArchivable(d);
          return (
            <li key={d.dir} data-testid={`dataset-${d.name}`}>
              <div className="row">
                <b className="ds-name">{d.name}</b>
                <span
                  className={`outcome ${outcomeClass(d.outcome)}`}
                  data-testid={`dataset-${d.name}-outcome`}
                >
                  {d.outcome}
                </span>
                {archived.length > 0 && (
                  <span className="outcome ok" data-testid={`dataset-${d.name}-archived`}>
                    archived on {archived.join(', ')}
                  </span>
                )}
              </div>
              {d.reason && d.outcome !== 'complete' && (
                <p className="field-error" data-testid={`dataset-${d.name}-reason`}>
                  {d.reason}
                </p>
              )}
              <div className="row sub">
                <span data-testid={`dataset-${d.name}-frames`}>
                  {d.framesWritten ?? '—'}
                  {d.framesExpected != null && d.framesExpected !== d.framesWritten
                    ? ` of ${d.framesExpected}`
                    : ''}{' '}
                  frames
                </span>
                <span data-testid={`dataset-${d.name}-size`}>{formatBytes(d.bytes ?? null)}</span>
                {d.format && <span data-testid={`dataset-${d.name}-format`}>{d.format}</span>}
                <span data-testid={`dataset-${d.name}-closed`}>{d.closed ? 'closed' : 'open'}</span>
              </div>
              <div className="row sub">
                <span data-testid={`dataset-${d.name}-dims`}>{describeSizes(d.sizes)}</span>
                <span>started {formatStarted(d.startedAt)}</span>
              </div>
              <div className="ds-path" data-testid={`dataset-${d.name}-path`}>
                {d.dir}
              </div>
              {viewable(d) &&
                (viewing === d.dir ? (
                  <DatasetViewer dataset={d} onClose={() => setViewing(null)} />
                ) : (
                  <button
                    type="button"
                    data-testid={`view-${d.name}`}
                    onClick={() => setViewing(d.dir)}
                  >
                    View images
                  </button>
                ))}
              {refused && (
                <p className="sub" data-testid={`dataset-${d.name}-not-archivable`}>
                  {refused}
                </p>
              )}
              {d.closed && !refused && targets.length > 0 && (
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
          );
        })}
      </ul>
    </section>
  );
}
