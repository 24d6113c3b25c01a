/** Reading and appending the dataset's JSON files: provenance.json, frames.jsonl, journal.jsonl. */
import fs from 'node:fs';
import path from 'node:path';
import type { DatasetLayout, DatasetProgress, FrameRecord, RunOutcome } from './layout';
import { datasetFiles } from './layout';

export interface ProvenanceDoc {
  aquilaDataset: 1;
  name: string;
  imageFile: string;
  layout: DatasetLayout;
  appVersion: string;
  operator: string;
  host: string;
  config: unknown;
  plan: unknown;
  deviceStates: unknown;
  /** Access control at start (controller, session audit trail); absent in older datasets. */
  access?: unknown;
  startedAt: string;
  startedAtMs: number;
  endedAt: string | null;
  /** 'running' until the writer closes the dataset or recovery marks it interrupted. */
  outcome: 'running' | RunOutcome;
  reason: string | null;
  progress: DatasetProgress | null;
  recoveredAt?: string;
}

export function readProvenance(dir: string): ProvenanceDoc {
  const file = path.join(dir, datasetFiles.provenance);
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as ProvenanceDoc;
  if (doc.aquilaDataset !== 1) throw new Error(`${file}: not an Aquila dataset provenance file`);
  return doc;
}

/** Parses JSON lines; a torn last line (crash mid-append) is skipped and counted. */
export function readJsonLines<T>(file: string): { items: T[]; torn: number } {
  if (!fs.existsSync(file)) return { items: [], torn: 0 };
  const items: T[] = [];
  let torn = 0;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      items.push(JSON.parse(line) as T);
    } catch {
      torn++;
    }
  }
  return { items, torn };
}

export function readFrameRecords(dir: string): { items: FrameRecord[]; torn: number } {
  return readJsonLines<FrameRecord>(path.join(dir, datasetFiles.frames));
}

export interface JournalEntry {
  timeMs: number;
  event: string;
  [field: string]: unknown;
}

/** One `write` of a whole line with O_APPEND: lines never interleave. */
export function appendJsonLine(file: string, value: unknown): void {
  fs.appendFileSync(file, JSON.stringify(value) + '\n');
}
