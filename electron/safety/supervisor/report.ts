/**
 * The supervisor's report of what it did after a host died: one JSON file per event in
 * `<AQUILA_HOME>/safety/`, written by the supervisor and shown (then moved to `shown/`) by
 * the next host start. Plain fs only: the supervisor imports this too.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SafeResult } from './make-safe';

export interface SupervisorReport {
  /** ISO time the host's death was noticed. */
  time: string;
  hostPid: number;
  /** From noticing the host's death (end of the pipe) to the last port done, ms. */
  totalMs: number;
  results: SafeResult[];
}

export function describeResult(r: SafeResult): string {
  const what = `${r.role} ${r.ids.join('+')} (${r.port})`;
  const sent = r.sentAtMs === null ? 'nothing sent' : `sent at ${r.sentAtMs.toFixed(0)} ms`;
  return `${what}: ${r.outcome}${r.reason ? ` — ${r.reason}` : ''}, ${sent}`;
}

/** One line for logs and the host's state. */
export function summarizeReport(r: SupervisorReport): string {
  return `Safety supervisor, ${r.time}: host ${r.hostPid} ended without a clean shutdown; ${r.results.map(describeResult).join('; ')}`;
}

/** Writes the report; returns its path. */
export function writeReport(dir: string, report: SupervisorReport): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(
    dir,
    `supervisor-${report.time.replace(/[:.]/g, '-')}-${report.hostPid}.json`,
  );
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n', { mode: 0o600 });
  return file;
}

/**
 * Reads every report not yet shown, oldest first, and moves each to `shown/` so it is shown
 * once. A file that is not a report is named in `unreadable` (and left in place).
 */
export function takeReports(dir: string): { reports: SupervisorReport[]; unreadable: string[] } {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^supervisor-.*\.json$/.test(n));
  } catch {
    return { reports: [], unreadable: [] };
  }
  const reports: SupervisorReport[] = [];
  const unreadable: string[] = [];
  for (const name of names.sort()) {
    const file = path.join(dir, name);
    try {
      const r = JSON.parse(readFileSync(file, 'utf8')) as SupervisorReport;
      if (typeof r.time !== 'string' || !Array.isArray(r.results)) throw new Error('not a report');
      reports.push(r);
      mkdirSync(path.join(dir, 'shown'), { recursive: true, mode: 0o700 });
      renameSync(file, path.join(dir, 'shown', name));
    } catch (err) {
      unreadable.push(`${file}: ${(err as Error).message}`);
    }
  }
  return { reports, unreadable };
}
