import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { command as audit } from '../../../../electron/cli/commands/audit';
import { command as users } from '../../../../electron/cli/commands/users';
import { AuditLog } from '../../../../electron/host/audit-log';
import { UserStore } from '../../../../electron/remote/users';
import { tempDir } from '../../../support/temp-dir';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('aquila users', () => {
  it('add prints the token once (stdout only), list shows names and roles, revoke removes', async () => {
    const dir = tempDir('aquila-home-');
    const add = capture();
    expect(await users.run(['add', 'alice', '--role', 'operator', '--dir', dir], add.io)).toBe(0);
    expect(add.out).toHaveLength(1);
    const token = add.out[0]!;
    expect(new UserStore(dir).authenticate(token)).toEqual({ user: 'alice', role: 'operator' });
    expect(readFileSync(path.join(dir, 'users.json'), 'utf8')).not.toContain(token);
    expect(add.err.join('\n')).not.toContain(token);

    await users.run(['add', 'bob', '--role=observer', '--dir', dir], capture().io);
    const list = capture();
    expect(await users.run(['list', '--dir', dir], list.io)).toBe(0);
    expect(list.out.map((l) => l.split(/\s+/).slice(0, 2))).toEqual([
      ['alice', 'operator'],
      ['bob', 'observer'],
    ]);
    expect(list.out.join('\n')).not.toContain(token);

    expect(await users.run(['revoke', 'alice', '--dir', dir], capture().io)).toBe(0);
    expect(new UserStore(dir).authenticate(token)).toBeNull();
  });

  it('says what is wrong with bad usage', async () => {
    const dir = tempDir('aquila-home-');
    await expect(
      users.run(['add', 'x', '--role', 'admin', '--dir', dir], capture().io),
    ).rejects.toThrow(/--role must be operator or observer, got "admin"/);
    await expect(users.run(['add', '--dir', dir], capture().io)).rejects.toThrow(/needs a NAME/);
    await expect(users.run(['revoke', 'nobody', '--dir', dir], capture().io)).rejects.toThrow(
      /No user "nobody"/,
    );
    await expect(users.run(['frobnicate'], capture().io)).rejects.toThrow(/usage/);
  });
});

describe('aquila audit', () => {
  it('exports matching entries as JSON lines, oldest first', async () => {
    const dir = tempDir('aquila-audit-');
    const log = new AuditLog(dir);
    const base = { clientId: 'ws1', transport: 'ws', args: {}, ok: true, ms: 1 };
    log.append({
      ...base,
      timeMs: Date.parse('2026-01-01T10:00:00Z'),
      user: 'alice',
      command: 'control.request',
    });
    log.append({
      ...base,
      timeMs: Date.parse('2026-01-01T11:00:00Z'),
      user: 'bob',
      command: 'stage.moveTo',
    });
    log.append({
      ...base,
      timeMs: Date.parse('2026-01-01T12:00:00Z'),
      user: 'alice',
      command: 'control.release',
    });
    const all = capture();
    expect(await audit.run(['--dir', dir], all.io)).toBe(0);
    expect(all.out.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([1, 2, 3]);
    const some = capture();
    await audit.run(['--dir', dir, '--user', 'alice', '--since', '2026-01-01T11:30:00Z'], some.io);
    expect(some.out.map((l) => JSON.parse(l) as { command: string }).map((e) => e.command)).toEqual(
      ['control.release'],
    );
    const cmd = capture();
    await audit.run(['--dir', dir, '--command', 'control.*', '--limit', '1'], cmd.io);
    expect(cmd.out).toHaveLength(1);
    await expect(audit.run(['--dir', dir, '--since', 'yesterday'], capture().io)).rejects.toThrow(
      /--since must be an ISO date\/time or epoch ms, got "yesterday"/,
    );
  });
});
