/** The upload queue: one row per dataset × target with progress and the actions its state allows. */
import type { UploadView } from '../../electron/api/contract';
import { formatBytes, formatDuration, formatRate, fraction } from './format';
import { useHost, useUi } from './host-context';

const NO_UPLOADS: readonly UploadView[] = [];

/** The last path component: the queue reports datasets by folder. */
export function baseName(p: string): string {
  const parts = p.split(/[\\/]/).filter((s) => s !== '');
  return parts[parts.length - 1] ?? p;
}

export type UploadAction = 'pause' | 'resume' | 'cancel' | 'retry';

/** What the host's queue accepts in each state (electron/upload/queue.ts). */
export function uploadActions(state: UploadView['state']): UploadAction[] {
  switch (state) {
    case 'queued':
    case 'uploading':
    case 'verifying':
      return ['pause', 'cancel'];
    case 'paused':
      return ['resume', 'cancel'];
    case 'failed':
      return ['retry', 'cancel'];
    case 'cancelled':
      return ['retry'];
    case 'done':
      return [];
  }
}

const LABEL: Record<UploadAction, string> = {
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
  retry: 'Retry',
};

export function UploadPanel() {
  const host = useHost();
  const uploads = useUi((s) => s.mirror?.state.uploads ?? NO_UPLOADS);
  return (
    <section className="panel" data-testid="upload-panel">
      <h2>
        Uploads <span className="sub">{uploads.length}</span>
      </h2>
      {uploads.length === 0 && <p className="empty">Nothing queued.</p>}
      <ul className="uploads">
        {uploads.map((u) => {
          const moving = u.state === 'uploading' || u.state === 'verifying';
          return (
            <li key={u.id} data-testid={`upload-${u.id}`}>
              <div className="row">
                <b title={u.dataset}>{baseName(u.dataset)}</b>
                <span className="sub">→ {u.target}</span>
                <span
                  className={`outcome ${u.state === 'done' ? 'ok' : u.state === 'failed' ? 'bad' : moving ? 'active' : 'dim'}`}
                  data-testid={`upload-${u.id}-state`}
                  data-state={u.state}
                >
                  {u.state}
                </span>
              </div>
              <div
                className="bar"
                role="progressbar"
                aria-valuemin={0}
                aria-valuemax={u.bytesTotal}
                aria-valuenow={u.bytesDone}
                data-testid={`upload-${u.id}-progress`}
              >
                <div
                  className="fill"
                  style={{ width: `${(fraction(u.bytesDone, u.bytesTotal) * 100).toFixed(1)}%` }}
                />
                <span className="bar-text">
                  {formatBytes(u.bytesDone)} / {formatBytes(u.bytesTotal)}
                </span>
              </div>
              {u.live && (
                <div className="row sub" data-testid={`upload-${u.id}-live`}>
                  <span>
                    archiving live: {formatBytes(u.live.archivedBytes)} archived of{' '}
                    {formatBytes(u.live.acquiredBytes)} acquired
                  </span>
                  <span>lag {formatDuration(u.live.lagS)}</span>
                </div>
              )}
              <div className="row sub">
                {moving && (
                  <>
                    <span data-testid={`upload-${u.id}-rate`}>{formatRate(u.rateBytesPerS)}</span>
                    <span data-testid={`upload-${u.id}-eta`}>ETA {formatDuration(u.etaS)}</span>
                  </>
                )}
                {u.attempts > 1 && <span>attempt {u.attempts}</span>}
                {u.retryAtMs !== undefined && u.state !== 'done' && (
                  <span>retry at {new Date(u.retryAtMs).toLocaleTimeString()}</span>
                )}
                {u.localFreed && <span>local copy freed</span>}
                {u.bytesResent !== undefined && (
                  <span data-testid={`upload-${u.id}-resent`}>
                    {formatBytes(u.bytesResent)} re-sent after interruptions
                  </span>
                )}
              </div>
              {u.reason && (
                <p
                  className={u.state === 'failed' ? 'alert' : 'sub'}
                  data-testid={`upload-${u.id}-reason`}
                >
                  {u.reason}
                </p>
              )}
              <div className="row">
                {uploadActions(u.state).map((a) => (
                  <button
                    type="button"
                    key={a}
                    data-testid={`upload-${u.id}-${a}`}
                    onClick={() => void host.run(`upload.${a}`, { id: u.id })}
                  >
                    {LABEL[a]}
                  </button>
                ))}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
