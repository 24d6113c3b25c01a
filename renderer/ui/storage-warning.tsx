/** Acquisition disk: a banner above the workspace when it is nearly full, and a free-space line. */
import { formatBytes } from './format';
import { useUi } from './host-context';

export function StorageWarning() {
  const storage = useUi((s) => s.mirror?.state.storage ?? null);
  if (!storage?.nearlyFull) return null;
  return (
    <div className="disk-warning" role="alert" data-testid="disk-warning">
      Acquisition disk nearly full: {formatBytes(storage.freeBytes)} free
      {storage.totalBytes !== null && ` of ${formatBytes(storage.totalBytes)}`} in{' '}
      {storage.datasetsRoot}. Archive and free datasets before the next run.
    </div>
  );
}

export function StorageSummary() {
  const storage = useUi((s) => s.mirror?.state.storage ?? null);
  if (!storage) return null;
  return (
    <section className="panel" data-testid="storage">
      <h2>Storage</h2>
      <div className={`row${storage.nearlyFull ? ' low' : ''}`}>
        <span className="mono" title={storage.datasetsRoot}>
          {storage.datasetsRoot}
        </span>
        <span data-testid="storage-free">
          {formatBytes(storage.freeBytes)} free
          {storage.totalBytes !== null && ` of ${formatBytes(storage.totalBytes)}`}
        </span>
      </div>
    </section>
  );
}
