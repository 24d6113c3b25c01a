import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../electron/api/contract';
import { AuditLog } from '../../../electron/host/audit-log';
import { SUMMARY_MAX_CHARS, summarizeArgs } from '../../../electron/host/audit-summary';
import { registerSecret } from '../../../electron/host/logger';
import { tempDir } from '../../support/temp-dir';

const entry = (over: Partial<AuditEntry> = {}): Omit<AuditEntry, 'seq'> => ({
  timeMs: 1_000,
  user: 'alice',
  clientId: 'ws1',
  transport: 'ws',
  command: 'stage.moveTo',
  args: { xUm: 1, yUm: 2 },
  ok: true,
  ms: 3,
  ...over,
});

describe('audit log', () => {
  it('appends JSON lines, continues seq across restarts, filters by user, command and time', () => {
    const dir = tempDir('aquila-audit-');
    const a = new AuditLog(dir);
    a.append(entry({ timeMs: 1_000 }));
    a.append(entry({ timeMs: 2_000, user: 'bob', command: 'control.request' }));
    a.append(
      entry({ timeMs: 3_000, command: 'control.take', ok: false, code: 'E_NOT_CONTROLLER' }),
    );
    const b = new AuditLog(dir); // a restart
    expect(b.append(entry({ timeMs: 4_000, command: 'laser.allOff' }))?.seq).toBe(4);
    expect(b.query().map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(b.query({ user: 'bob' }).map((e) => e.seq)).toEqual([2]);
    expect(b.query({ command: 'control.*' }).map((e) => e.seq)).toEqual([2, 3]);
    expect(b.query({ command: 'control' })).toEqual([]);
    expect(b.query({ sinceMs: 2_000, untilMs: 3_000 }).map((e) => e.seq)).toEqual([2, 3]);
    expect(b.query({ limit: 2 }).map((e) => e.seq)).toEqual([3, 4]);
    expect(b.query({ command: 'control.take' })[0]).toMatchObject({
      ok: false,
      code: 'E_NOT_CONTROLLER',
    });
    expect(b.sessionEntries().map((e) => e.seq)).toEqual([4]); // this process's session only
  });

  it('rotates by size, keeps a bounded number of files, and queries across them in order', () => {
    const dir = tempDir('aquila-audit-');
    const a = new AuditLog(dir, { maxBytes: 1_000, keepFiles: 2 });
    for (let i = 0; i < 40; i++) a.append(entry({ timeMs: i, args: { pad: 'x'.repeat(60) } }));
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['audit.1.jsonl', 'audit.2.jsonl', 'audit.jsonl']);
    for (const f of files) expect(readFileSync(`${dir}/${f}`).length).toBeLessThanOrEqual(1_000);
    const seqs = a.query().map((e) => e.seq);
    expect(seqs.at(-1)).toBe(40);
    expect(seqs[0]).toBeGreaterThan(1); // the oldest rotated out
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new AuditLog(dir, { maxBytes: 1_000, keepFiles: 2 }).append(entry())?.seq).toBe(41);
  });

  it('never writes a registered secret or a token-looking value', () => {
    const dir = tempDir('aquila-audit-');
    const secret = 'registered-secret-abcdefgh';
    const unregister = registerSecret(secret);
    try {
      const a = new AuditLog(dir);
      a.append(entry({ args: { note: `see ${secret}`, url: 'http://x/?token=abc123' } }));
      const text = readFileSync(a.file, 'utf8');
      expect(text).not.toContain(secret);
      expect(text).not.toContain('abc123');
    } finally {
      unregister();
    }
  });
});

describe('argument summary', () => {
  it('redacts secret-looking keys, cuts long strings and large arrays, bounds depth and size', () => {
    const s = summarizeArgs({
      token: 'T',
      accessKey: 'K',
      secretAccessKey: 'S',
      password: 'P',
      name: 'run-1',
      note: 'n'.repeat(500),
      plan: { stage_positions: Array.from({ length: 26_000 }, (_, i) => ({ x: i, y: i })) },
      deep: { a: { b: { c: { d: 1 } } } },
    }) as Record<string, unknown>;
    expect(s.token).toBe('[redacted]');
    expect(s.accessKey).toBe('[redacted]');
    expect(s.secretAccessKey).toBe('[redacted]');
    expect(s.password).toBe('[redacted]');
    expect(s.name).toBe('run-1');
    expect(String(s.note)).toMatch(/…\[500 chars\]$/);
    expect(s.plan).toEqual({ stage_positions: '[26000 items]' });
    expect(s.deep).toEqual({ a: { b: '{1 keys}' } });
    expect(summarizeArgs({ xUm: 1, yUm: -2 })).toEqual({ xUm: 1, yUm: -2 });
    const wide = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`k${i}`, 'v'.repeat(119)]),
    );
    expect(summarizeArgs(wide)).toMatch(/characters elided/);
    expect(JSON.stringify(summarizeArgs({ a: 1 })).length).toBeLessThan(SUMMARY_MAX_CHARS);
  });
});

describe('audit log failures', () => {
  it('never throws, reports the first failure of a run, and recovers', () => {
    const dir = tempDir('aquila-audit-');
    const errors: string[] = [];
    const a = new AuditLog(dir, { onError: (e) => errors.push(e.message) });
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'not a folder'); // appends now fail with ENOTDIR
    expect(a.append(entry())).toBeNull();
    expect(a.append(entry())).toBeNull();
    expect(errors).toHaveLength(1);
    rmSync(dir);
    mkdirSync(dir);
    expect(a.append(entry())?.seq).toBe(1);
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'x');
    a.append(entry());
    expect(errors).toHaveLength(2);
  });
});
