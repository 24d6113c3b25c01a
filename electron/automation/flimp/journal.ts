/**
 * The FLImP run journal: `journal.jsonl` in the run folder, one JSON record per line,
 * append-only. Records at tile and ROI boundaries are fdatasync'ed before `append`
 * resolves, so after `kill -9` every ROI the journal calls finished has its dataset closed
 * and is not imaged again on resume. A torn last line (killed mid-write) is ignored.
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { StateError } from '../../../drivers/errors';

export const JOURNAL_FILE = 'journal.jsonl';

export interface JournalRoi {
  id: number;
  tile: number;
  xUm: number;
  yUm: number;
  xPx: number;
  yPx: number;
  areaPx: number;
  meanIntensity: number;
  score: number;
}

export interface FocusRecord {
  mode: 'none' | 'lock' | 'software';
  zUm: number;
  images?: number;
  curve?: { zUm: number; score: number }[];
  peakScore?: number;
  noiseScore?: number;
  error?: string;
}

export type RoiOutcome = 'imaged' | 'skipped';

export type FlimpRecord =
  | {
      t: 'start';
      name: string;
      plan: unknown;
      /** The scan centre as resolved at start (the stage position when the plan has none). */
      centreUm: { xUm: number; yUm: number };
      atMs: number;
    }
  | { t: 'resume'; atMs: number }
  | {
      t: 'tile';
      index: number;
      xUm: number;
      yUm: number;
      widthUm: number;
      heightUm: number;
      focus: FocusRecord | null;
      rois: JournalRoi[];
      /** ROIs found here that duplicate one of an earlier tile (overlap). */
      duplicates: number;
      thumbnail: string | null;
      /** When the tile's frame was taken (its ROIs' positions hold at this time). */
      foundAtMs?: number;
      atMs: number;
    }
  | { t: 'tile-failed'; index: number; reason: string; atMs: number }
  | { t: 'roi-start'; id: number; dataset: string; atMs: number }
  | {
      t: 'roi-end';
      id: number;
      outcome: RoiOutcome;
      reason?: string;
      dataset?: string;
      frames: number;
      /** Background-subtracted mean of the ROI per time point (first programme line). */
      signals: number[];
      focus: FocusRecord | null;
      /** First → last frame shift by phase correlation, nm; null when not measured. */
      driftNm: number | null;
      driftConfidence: number | null;
      /** The sample's shift first → last frame in stage µm (drift-correction.ts), over driftSpanMs. */
      driftUm?: { xUm: number; yUm: number } | null;
      driftSpanMs?: number | null;
      /** Where the ROI was imaged: found position + drift correction (plan driftCorrection). */
      stageUm?: { xUm: number; yUm: number };
      correctionUm?: { xUm: number; yUm: number };
      exposureMsTotal: number;
      thumbnail: string | null;
      startedAtMs: number;
      atMs: number;
    }
  | { t: 'end'; phase: string; reason?: string; atMs: number };

export class FlimpJournal {
  private constructor(
    readonly file: string,
    private readonly fh: FileHandle,
  ) {}

  static async open(runDir: string): Promise<FlimpJournal> {
    const file = path.join(runDir, JOURNAL_FILE);
    return new FlimpJournal(file, await open(file, 'a'));
  }

  /** Appends one record; `durable` waits for fdatasync (tile and ROI boundaries). */
  async append(record: FlimpRecord, durable = true): Promise<void> {
    await this.fh.appendFile(JSON.stringify(record) + '\n');
    if (durable) await this.fh.datasync();
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** Reads a journal; a torn or garbled last line is dropped, a garbled earlier line is an error. */
export async function readJournal(runDir: string): Promise<FlimpRecord[]> {
  const file = path.join(runDir, JOURNAL_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new StateError(
      `cannot resume from ${runDir}: no readable ${JOURNAL_FILE} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  const lines = text.split('\n');
  const out: FlimpRecord[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line) as FlimpRecord);
    } catch {
      const last = lines.slice(i + 1).every((l) => l.trim() === '');
      if (!last) throw new StateError(`${file}: line ${i + 1} is not valid JSON`);
    }
  });
  if (out[0]?.t !== 'start') throw new StateError(`${file}: does not begin with a start record`);
  return out;
}

/** What a journal says is done: tiles scanned (with their ROIs) and ROIs finished. */
export interface JournalState {
  name: string;
  plan: unknown;
  centreUm: { xUm: number; yUm: number };
  tiles: Map<
    number,
    Extract<FlimpRecord, { t: 'tile' }> | Extract<FlimpRecord, { t: 'tile-failed' }>
  >;
  finished: Map<number, Extract<FlimpRecord, { t: 'roi-end' }>>;
  /** ROI id → dataset folders opened for it (an interrupted attempt leaves one behind). */
  attempts: Map<number, string[]>;
  ended: Extract<FlimpRecord, { t: 'end' }> | null;
}

export function journalState(records: readonly FlimpRecord[]): JournalState {
  const first = records[0];
  if (first?.t !== 'start') throw new StateError('journal does not begin with a start record');
  const s: JournalState = {
    name: first.name,
    plan: first.plan,
    centreUm: first.centreUm,
    tiles: new Map(),
    finished: new Map(),
    attempts: new Map(),
    ended: null,
  };
  for (const r of records) {
    if (r.t === 'tile' || r.t === 'tile-failed') s.tiles.set(r.index, r);
    else if (r.t === 'roi-end') s.finished.set(r.id, r);
    else if (r.t === 'roi-start')
      s.attempts.set(r.id, [...(s.attempts.get(r.id) ?? []), r.dataset]);
    else if (r.t === 'end') s.ended = r;
    else if (r.t === 'resume') s.ended = null;
  }
  return s;
}
