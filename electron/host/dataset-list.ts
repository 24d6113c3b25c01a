/** Lists the dataset folders under the datasets root for AppState.datasets, newest first. */
import fs from 'node:fs';
import path from 'node:path';
import type { DatasetEntry } from '../api/contract';
import { readProvenance } from '../storage/dataset-files';
import { datasetFiles } from '../storage/layout';

/** At most this many entries are mirrored to clients. */
const MAX_ENTRIES = 200;

export function listDatasets(root: string): DatasetEntry[] {
  if (!fs.existsSync(root)) return [];
  const out: (DatasetEntry & { startedAtMs: number })[] = [];
  for (const e of fs.readdirSync(root, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const dir = path.join(root, e.name);
    let prov;
    try {
      prov = readProvenance(dir);
    } catch {
      continue; // not a dataset folder
    }
    out.push({
      name: prov.name,
      dir,
      outcome: prov.outcome,
      startedAt: prov.startedAt,
      startedAtMs: prov.startedAtMs,
      framesWritten: prov.progress?.framesWritten ?? null,
      closed: fs.existsSync(path.join(dir, datasetFiles.manifest)),
    });
  }
  out.sort((a, b) => b.startedAtMs - a.startedAtMs);
  return out.slice(0, MAX_ENTRIES).map(({ startedAtMs: _s, ...entry }) => entry);
}
