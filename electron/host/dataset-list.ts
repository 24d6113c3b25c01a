/** Lists the dataset folders under the datasets root for AppState.datasets, newest first. */
import fs from 'node:fs';
import path from 'node:path';
import type { DatasetEntry } from '../api/contract';
import { readProvenance } from '../storage/dataset-files';
import { datasetFiles } from '../storage/layout';

/** At most this many entries are mirrored to clients. */
const MAX_ENTRIES = 200;
/** A folder with more files than this (a huge chunked store) reports no size. */
const MAX_FILES_SIZED = 100_000;

/** Total size of every file under `dir`, or null when unreadable or too many files. */
export function folderBytes(dir: string): number | null {
  let bytes = 0;
  let files = 0;
  const stack = [dir];
  try {
    while (stack.length > 0) {
      const d = stack.pop()!;
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) stack.push(p);
        else if (e.isFile()) {
          if (++files > MAX_FILES_SIZED) return null;
          bytes += fs.statSync(p).size;
        }
      }
    }
  } catch {
    return null;
  }
  return bytes;
}

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
      format: prov.layout.format,
      sizes: { ...prov.layout.sizes },
      framesExpected: prov.progress?.framesExpected ?? null,
      bytes: folderBytes(dir),
      reason: prov.reason,
    });
  }
  out.sort((a, b) => b.startedAtMs - a.startedAtMs);
  return out.slice(0, MAX_ENTRIES).map(({ startedAtMs: _s, ...entry }) => entry);
}
