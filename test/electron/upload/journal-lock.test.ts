/**
 * The upload journal's kernel-held lock: a live holder is refused with its pid; a holder
 * killed with SIGKILL and not yet reaped by its parent (a zombie, which a pid-file lock takes
 * for alive) blocks nobody.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { lockJournal } from '../../../electron/upload/journal-lock';
import { until } from '../../support/wait';

const holder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lock-holder.ts');
let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'aquila-lock-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

it('refuses a live holder by pid, then takes the lock from its unreaped corpse', async () => {
  const dir = path.join(tmp, 'journal');
  // `exec sleep` replaces the shell by a process that never reaps its children: the holder
  // stays a zombie after SIGKILL for as long as `sleep` runs.
  const parent = spawn(
    'sh',
    ['-c', `"${process.execPath}" --import tsx "${holder}" "${dir}" & exec sleep 60`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    let out = '';
    parent.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await until('the holder to lock', () => /locked \d+/.test(out), 30_000);
    const pid = Number(/locked (\d+)/.exec(out)?.[1]);
    await expect(lockJournal(dir)).rejects.toThrow(`is in use by process ${pid}`);
    process.kill(pid, 'SIGKILL');
    let state = '';
    for (let i = 0; i < 200 && state !== 'Z'; i++) {
      state = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.[0] ?? '';
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(state).toBe('Z'); // dead, not reaped: still has a pid, as after a kill -9
    const lock = await lockJournal(dir);
    await lock.release();
  } finally {
    parent.kill('SIGKILL');
  }
}, 60_000);

it('is released by release() and can be taken again in the same process', async () => {
  const a = await lockJournal(tmp);
  await expect(lockJournal(tmp)).rejects.toThrow(`is in use by process ${process.pid}`);
  await a.release();
  const b = await lockJournal(tmp);
  await b.release();
});
