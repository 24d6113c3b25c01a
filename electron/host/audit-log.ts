/**
 * The audit trail: one JSON line per command (who, from where, what, result), appended with
 * O_APPEND to `<dir>/audit.jsonl` and kept across restarts. When the file passes `maxBytes`
 * it becomes `audit.1.jsonl` (older ones shift to .2, .3 …; the oldest beyond `keepFiles` is
 * deleted). `seq` continues across restarts and rotations. Lines never hold a token: args
 * are summarised (audit-summary.ts) and the line passes the logger's credential redaction.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AuditEntry } from '../api/contract';
import { redactCredentials } from './logger';

export interface AuditQuery {
  user?: string;
  /** Exact name, or "prefix.*". */
  command?: string;
  sinceMs?: number;
  untilMs?: number;
  /** The newest `limit` matches are returned (oldest first). */
  limit?: number;
}

export interface AuditLogOptions {
  maxBytes?: number;
  keepFiles?: number;
  /** Entries kept in memory for dataset provenance (the newest of this host session). */
  sessionKeep?: number;
  /** Told when appending starts failing (once per run of failures). */
  onError?: (err: Error) => void;
}

export const AUDIT_FILE = 'audit.jsonl';
const DEFAULT_LIMIT = 1_000;
const TAIL_BYTES = 64 * 1024;

export class AuditLog {
  readonly file: string;
  private seq: number;
  private size: number;
  private readonly session: AuditEntry[] = [];
  private readonly maxBytes: number;
  private readonly keepFiles: number;
  private readonly sessionKeep: number;
  private failing = false;

  constructor(
    readonly dir: string,
    private readonly opts: AuditLogOptions = {},
  ) {
    this.maxBytes = opts.maxBytes ?? 10 * 1024 * 1024;
    this.keepFiles = opts.keepFiles ?? 5;
    this.sessionKeep = opts.sessionKeep ?? 500;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.file = path.join(dir, AUDIT_FILE);
    this.size = fs.existsSync(this.file) ? fs.statSync(this.file).size : 0;
    this.seq = this.lastSeq();
  }

  /**
   * Appends one entry (seq assigned here). Never throws — a full disk must not block an
   * e-stop — but reports the first failure of a run to `onError` and returns null.
   */
  append(entry: Omit<AuditEntry, 'seq'>): AuditEntry | null {
    const full: AuditEntry = { seq: this.seq + 1, ...entry };
    const line = redactCredentials(JSON.stringify(full)) + '\n';
    try {
      if (this.size > 0 && this.size + line.length > this.maxBytes) this.rotate();
      fs.appendFileSync(this.file, line, { mode: 0o600 });
    } catch (err) {
      if (!this.failing) this.opts.onError?.(err as Error);
      this.failing = true;
      return null;
    }
    this.failing = false;
    this.seq = full.seq;
    this.size += Buffer.byteLength(line);
    const stored = JSON.parse(line) as AuditEntry;
    this.session.push(stored);
    if (this.session.length > this.sessionKeep) this.session.shift();
    return stored;
  }

  /** The newest entries of this host session (for provenance). */
  sessionEntries(): AuditEntry[] {
    return [...this.session];
  }

  query(q: AuditQuery = {}): AuditEntry[] {
    const limit = q.limit ?? DEFAULT_LIMIT;
    const matches: AuditEntry[] = [];
    for (const file of this.filesOldestFirst()) {
      for (const line of readLines(file)) {
        let e: AuditEntry;
        try {
          e = JSON.parse(line) as AuditEntry;
        } catch {
          continue; // a torn last line after a crash
        }
        if (matchesQuery(e, q)) {
          matches.push(e);
          if (matches.length > limit) matches.shift();
        }
      }
    }
    return matches;
  }

  private filesOldestFirst(): string[] {
    const out: string[] = [];
    for (let i = this.keepFiles; i >= 1; i--) {
      const f = this.rotated(i);
      if (fs.existsSync(f)) out.push(f);
    }
    if (fs.existsSync(this.file)) out.push(this.file);
    return out;
  }

  private rotated(i: number): string {
    return path.join(this.dir, `audit.${i}.jsonl`);
  }

  private rotate(): void {
    fs.rmSync(this.rotated(this.keepFiles), { force: true });
    for (let i = this.keepFiles - 1; i >= 1; i--)
      if (fs.existsSync(this.rotated(i))) fs.renameSync(this.rotated(i), this.rotated(i + 1));
    fs.renameSync(this.file, this.rotated(1));
    this.size = 0;
  }

  private lastSeq(): number {
    for (const file of [this.file, this.rotated(1)]) {
      if (!fs.existsSync(file)) continue;
      const size = fs.statSync(file).size;
      const fd = fs.openSync(file, 'r');
      try {
        const len = Math.min(size, TAIL_BYTES);
        const buf = Buffer.alloc(len);
        fs.readSync(fd, buf, 0, len, size - len);
        const lines = buf.toString('utf8').split('\n').reverse();
        for (const line of lines) {
          const m = /^\{"seq":(\d+),/.exec(line);
          if (m) return Number(m[1]);
        }
      } finally {
        fs.closeSync(fd);
      }
    }
    return 0;
  }
}

function readLines(file: string): string[] {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

function matchesQuery(e: AuditEntry, q: AuditQuery): boolean {
  if (q.user !== undefined && e.user !== q.user) return false;
  if (q.command !== undefined) {
    const c = q.command;
    if (c.endsWith('.*') ? !e.command.startsWith(c.slice(0, -1)) : e.command !== c) return false;
  }
  if (q.sinceMs !== undefined && e.timeMs < q.sinceMs) return false;
  if (q.untilMs !== undefined && e.timeMs > q.untilMs) return false;
  return true;
}
