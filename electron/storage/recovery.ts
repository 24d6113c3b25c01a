/**
 * Start-up recovery: every dataset folder under a root without `manifest.sha256` whose
 * writer is gone (no live pid in `writer.lock`) is closed as `interrupted` (or `failed`
 * when the journal recorded a fatal write error), recording how far it got, then gets its
 * manifest. Folders with a manifest are left alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { JournalEntry } from './dataset-files';
import { readJsonLines } from './dataset-files';
import { finalizeDataset } from './finalize';
import type { DatasetSummary } from './layout';
import { datasetFiles } from './layout';
import { lockFileName } from './manifest';

function writerAlive(dir: string): boolean {
  try {
    const { pid } = JSON.parse(fs.readFileSync(path.join(dir, lockFileName), 'utf8')) as {
      pid: number;
    };
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // ESRCH: no such process. EPERM: it exists but is not ours — treat as alive.
    return (err as { code?: string }).code === 'EPERM';
  }
}

export interface RecoveryResult {
  recovered: DatasetSummary[];
  /** Folders skipped because their writer is still running. */
  busy: string[];
  /** Folders that could not be recovered, with the reason (e.g. disk still full). */
  failed: { dir: string; message: string }[];
}

export function needsRecovery(dir: string): boolean {
  return (
    fs.existsSync(path.join(dir, datasetFiles.provenance)) &&
    !fs.existsSync(path.join(dir, datasetFiles.manifest))
  );
}

export function recoverDataset(dir: string, nowMs = Date.now()): DatasetSummary {
  const journal = readJsonLines<JournalEntry>(path.join(dir, datasetFiles.journal)).items;
  const fatal = journal.find((e) => e.event === 'write-failed');
  return finalizeDataset(dir, {
    outcome: fatal ? 'failed' : 'interrupted',
    reason: fatal
      ? `writer failed: ${String(fatal.message)}`
      : 'the writer stopped without closing the dataset (crash or power loss)',
    recovered: true,
    nowMs,
  });
}

export function recoverDatasets(root: string): RecoveryResult {
  const out: RecoveryResult = { recovered: [], busy: [], failed: [] };
  if (!fs.existsSync(root)) return out;
  for (const e of fs.readdirSync(root, { withFileTypes: true })) {
    const dir = path.join(root, e.name);
    if (!e.isDirectory() || !needsRecovery(dir)) continue;
    if (writerAlive(dir)) {
      out.busy.push(dir);
      continue;
    }
    try {
      out.recovered.push(recoverDataset(dir));
    } catch (err) {
      out.failed.push({ dir, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}
