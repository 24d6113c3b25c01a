/**
 * The run report, rebuilt from the journal alone (so a resumed or crashed run's folder can
 * always be re-reported): `report.json` (machine-readable) and a self-contained
 * `report.html` (inline SVG figures, thumbnails as data: URIs) in the run folder.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { journalState, readJournal, type FlimpRecord, type FocusRecord } from './journal';
import { renderReportHtml } from './report-html';

export interface ReportRoi {
  id: number;
  tile: number;
  xUm: number;
  yUm: number;
  areaPx: number;
  score: number;
  state: 'imaged' | 'skipped' | 'interrupted' | 'pending';
  reason: string | null;
  dataset: string | null;
  frames: number;
  signals: number[];
  /** Last signal over first (bleaching reached). */
  finalFraction: number | null;
  driftNm: number | null;
  driftConfidence: number | null;
  /** The sample's shift over the series, stage µm; null when not measured. */
  driftUm: { xUm: number; yUm: number } | null;
  /** Drift correction applied to the found position (plan driftCorrection); null when none. */
  correctionUm: { xUm: number; yUm: number } | null;
  focus: FocusRecord | null;
  exposureMsTotal: number;
  durationMs: number | null;
  thumbnail: string | null;
}

export interface ReportTile {
  index: number;
  state: 'scanned' | 'failed';
  reason: string | null;
  xUm: number | null;
  yUm: number | null;
  widthUm: number | null;
  heightUm: number | null;
  roisFound: number;
  duplicates: number;
  focus: FocusRecord | null;
  thumbnail: string | null;
}

export interface FlimpReport {
  name: string;
  phase: string;
  endReason: string | null;
  startedAtMs: number;
  endedAtMs: number | null;
  resumes: number;
  plan: unknown;
  counts: { tiles: number; found: number; imaged: number; skipped: number; interrupted: number };
  /** Sum of the imaged ROIs' exposures, ms. */
  exposureMsTotal: number;
  /** Start to end of the run, ms (across resumes, so including the time it was down); null while running. */
  runMs: number | null;
  tiles: ReportTile[];
  rois: ReportRoi[];
}

export function buildReport(records: readonly FlimpRecord[]): FlimpReport {
  const st = journalState(records);
  const start = records[0] as Extract<FlimpRecord, { t: 'start' }>;
  const tiles: ReportTile[] = [];
  const rois: ReportRoi[] = [];
  for (const tile of [...st.tiles.values()].sort((a, b) => a.index - b.index)) {
    if (tile.t === 'tile-failed') {
      tiles.push({
        index: tile.index,
        state: 'failed',
        reason: tile.reason,
        xUm: null,
        yUm: null,
        widthUm: null,
        heightUm: null,
        roisFound: 0,
        duplicates: 0,
        focus: null,
        thumbnail: null,
      });
      continue;
    }
    tiles.push({
      index: tile.index,
      state: 'scanned',
      reason: null,
      xUm: tile.xUm,
      yUm: tile.yUm,
      widthUm: tile.widthUm,
      heightUm: tile.heightUm,
      roisFound: tile.rois.length,
      duplicates: tile.duplicates,
      focus: tile.focus,
      thumbnail: tile.thumbnail,
    });
    for (const r of tile.rois) {
      const end = st.finished.get(r.id);
      const tried = st.attempts.get(r.id);
      const first = end?.signals[0];
      const last = end?.signals[end.signals.length - 1];
      rois.push({
        id: r.id,
        tile: r.tile,
        xUm: r.xUm,
        yUm: r.yUm,
        areaPx: r.areaPx,
        score: r.score,
        state: end ? end.outcome : tried ? 'interrupted' : 'pending',
        reason: end?.reason ?? (tried ? 'interrupted (the run stopped while imaging it)' : null),
        dataset: end?.dataset ?? tried?.[tried.length - 1] ?? null,
        frames: end?.frames ?? 0,
        signals: end?.signals ?? [],
        finalFraction: first && last !== undefined && first > 0 ? last / first : null,
        driftNm: end?.driftNm ?? null,
        driftConfidence: end?.driftConfidence ?? null,
        driftUm: end?.driftUm ?? null,
        correctionUm: end?.correctionUm ?? null,
        focus: end?.focus ?? null,
        exposureMsTotal: end?.exposureMsTotal ?? 0,
        durationMs: end ? end.atMs - end.startedAtMs : null,
        thumbnail: end?.thumbnail ?? null,
      });
    }
  }
  const imaged = rois.filter((r) => r.state === 'imaged');
  return {
    name: st.name,
    phase: st.ended?.phase ?? 'running',
    endReason: st.ended?.reason ?? null,
    startedAtMs: start.atMs,
    endedAtMs: st.ended?.atMs ?? null,
    resumes: records.filter((r) => r.t === 'resume').length,
    plan: st.plan,
    counts: {
      tiles: tiles.length,
      found: rois.length,
      imaged: imaged.length,
      skipped: rois.filter((r) => r.state === 'skipped').length,
      interrupted: rois.filter((r) => r.state === 'interrupted').length,
    },
    exposureMsTotal: imaged.reduce((s, r) => s + r.exposureMsTotal, 0),
    runMs: st.ended ? st.ended.atMs - start.atMs : null,
    tiles,
    rois,
  };
}

/** Writes report.json and report.html into the run folder; returns their paths. */
export async function writeReport(runDir: string): Promise<{ json: string; html: string }> {
  const report = buildReport(await readJournal(runDir));
  const json = path.join(runDir, 'report.json');
  const html = path.join(runDir, 'report.html');
  await writeFile(json, JSON.stringify(report, null, 2) + '\n');
  const images = new Map<string, string>();
  for (const rel of [...report.tiles, ...report.rois].map((x) => x.thumbnail)) {
    if (!rel || images.has(rel)) continue;
    try {
      images.set(
        rel,
        `data:image/png;base64,${(await readFile(path.join(runDir, rel))).toString('base64')}`,
      );
    } catch {
      // A thumbnail lost with a crash only leaves a gap in the report.
    }
  }
  await writeFile(html, renderReportHtml(report, images));
  return { json, html };
}
