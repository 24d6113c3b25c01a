/** `aquila upload DATASET --target NAME --config CFG`, in-process, to a filesystem target. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { command, describeStatus } from '../../../electron/cli/commands/upload';
import { DEFAULT_CONFIG_PATH } from '../../../electron/config/load';
import { makeDataset, MIB } from './dataset-fixture';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'aquila-cli-upload-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function writeConfig(upload: unknown): Promise<string> {
  const base = JSON.parse(await readFile(DEFAULT_CONFIG_PATH, 'utf8')) as Record<string, unknown>;
  const file = path.join(tmp, 'aquila.json');
  await writeFile(file, JSON.stringify({ ...base, upload }));
  return file;
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

it('uploads a dataset to the named target and exits 0 once verified', async () => {
  const dest = path.join(tmp, 'cephfs');
  await import('node:fs/promises').then((fs) => fs.mkdir(dest));
  const dir = await makeDataset(tmp, 'run-0001', [{ rel: 'a.bin', sizeBytes: MIB }]);
  const cfg = await writeConfig({
    targets: [{ name: 'cephfs', kind: 'filesystem', path: dest }],
    journalDir: path.join(tmp, 'journal'),
  });
  const c = io();
  const code = await command.run([dir, '--target', 'cephfs', '--config', cfg], c.io);
  expect(code, c.err.join('\n')).toBe(0);
  expect(c.out.at(-1)).toBe('run-0001 → cephfs: done');
  expect(await readFile(path.join(dest, 'run-0001', 'manifest.sha256'), 'utf8')).toBe(
    await readFile(path.join(dir, 'manifest.sha256'), 'utf8'),
  );
});

it('exits 1 with the reason when the upload fails', async () => {
  const dir = await makeDataset(tmp, 'run-0002', [{ rel: 'a.bin', sizeBytes: 10 }]);
  const cfg = await writeConfig({
    targets: [{ name: 'cephfs', kind: 'filesystem', path: path.join(tmp, 'not-mounted') }],
    journalDir: path.join(tmp, 'journal'),
  });
  const c = io();
  expect(await command.run([dir, '--target', 'cephfs', '--config', cfg], c.io)).toBe(1);
  expect(c.out.at(-1)).toMatch(
    /run-0002 → cephfs: failed, upload target "cephfs" \(.*not-mounted\): destination is not an existing directory/,
  );
});

it('refuses bad usage and configs without the target', async () => {
  const c = io();
  await expect(command.run([], c.io)).rejects.toThrow(/usage: aquila upload DATASET --target/);
  await expect(command.run(['x', '--target', 't', '--bogus', '1'], c.io)).rejects.toThrow(
    /unknown option --bogus/,
  );
  const noUpload = await writeConfig(undefined);
  await expect(command.run([tmp, '--target', 'ceph', '--config', noUpload], c.io)).rejects.toThrow(
    /has no "upload" section/,
  );
  const cfg = await writeConfig({
    targets: [{ name: 'cephfs', kind: 'filesystem', path: tmp }],
    journalDir: path.join(tmp, 'journal'),
  });
  await expect(command.run([tmp, '--target', 'ceph', '--config', cfg], c.io)).rejects.toThrow(
    'unknown upload target "ceph" (configured: cephfs)',
  );
});

it('--journal wins over upload.journalDir, and says so', async () => {
  const dest = path.join(tmp, 'cephfs');
  await import('node:fs/promises').then((fs) => fs.mkdir(dest));
  const dir = await makeDataset(tmp, 'run-0003', [{ rel: 'a.bin', sizeBytes: 100 }]);
  const cfg = await writeConfig({
    targets: [{ name: 'cephfs', kind: 'filesystem', path: dest }],
    journalDir: path.join(tmp, 'journal-config'),
  });
  const flag = path.join(tmp, 'journal-flag');
  const c = io();
  expect(
    await command.run([dir, '--target', 'cephfs', '--config', cfg, '--journal', flag], c.io),
  ).toBe(0);
  expect(c.err.join('\n')).toContain(`using --journal ${flag}`);
  expect(await readFile(path.join(flag, 'upload-journal.jsonl'), 'utf8')).toContain('run-0003');
  await expect(readFile(path.join(tmp, 'journal-config', 'upload-journal.jsonl'))).rejects.toThrow(
    /ENOENT/,
  );
});

it('running it again after a failure resumes the failed job; `upload retry` does too', async () => {
  const dest = path.join(tmp, 'cephfs');
  const dir = await makeDataset(tmp, 'run-0004', [{ rel: 'a.bin', sizeBytes: 100 }]);
  const cfg = await writeConfig({
    targets: [{ name: 'cephfs', kind: 'filesystem', path: dest }],
    journalDir: path.join(tmp, 'journal'),
    retry: { baseMs: 10, maxMs: 10, maxAttempts: 1 },
  });
  const args = [dir, '--target', 'cephfs', '--config', cfg];
  const c1 = io();
  expect(await command.run(args, c1.io)).toBe(1);
  expect(c1.err.join('\n')).toContain(`aquila upload retry ${dir} --target cephfs`);
  const c2 = io();
  expect(await command.run(args, c2.io)).toBe(1); // still not mounted: the same job fails again
  await import('node:fs/promises').then((fs) => fs.mkdir(dest));
  const c3 = io();
  expect(await command.run(['retry', 'run-0004', '--config', cfg], c3.io)).toBe(0);
  expect(c3.out.at(-1)).toBe('run-0004 → cephfs: done');
  const journal = await readFile(path.join(tmp, 'journal', 'upload-journal.jsonl'), 'utf8');
  expect(journal.split('\n').filter((l) => l.includes('"t":"job"'))).toHaveLength(1);
  const c4 = io();
  expect(await command.run(['retry', '--config', cfg], c4.io)).toBe(1);
  expect(c4.err.at(-1)).toBe('no failed upload in the journal');
  const c5 = io();
  expect(await command.run(['status', '--config', cfg], c5.io)).toBe(0);
  expect(c5.out).toEqual(['run-0004 → cephfs: done']);
});

it('names a dataset folder that does not exist', async () => {
  const cfg = await writeConfig({
    targets: [{ name: 'cephfs', kind: 'filesystem', path: tmp }],
    journalDir: path.join(tmp, 'journal'),
  });
  const c = io();
  await expect(
    command.run([path.join(tmp, 'run-9999'), '--target', 'cephfs', '--config', cfg], c.io),
  ).rejects.toThrow(`dataset folder ${path.join(tmp, 'run-9999')} does not exist`);
});

it('status lines show acquired vs archived bytes and the lag of a live run, and re-sent bytes', () => {
  const base = {
    id: 'u',
    dataset: '/data/run-7',
    target: 'ceph',
    state: 'uploading' as const,
    bytesDone: 0,
    bytesTotal: 0,
    rateBytesPerS: 0,
    etaS: null,
    attempts: 0,
    enqueuedAtMs: 0,
    localFreed: false,
  };
  expect(
    describeStatus({ ...base, live: { acquiredBytes: 5e9, archivedBytes: 4.5e9, lagS: 12.4 } }),
  ).toBe('run-7 → ceph: uploading, live: 4500.0 MB archived of 5000.0 MB acquired, lag 12 s');
  expect(describeStatus({ ...base, state: 'done', bytesResent: 3e6 })).toBe(
    'run-7 → ceph: done, 3.0 MB re-sent after interruptions',
  );
});

it('status names the process holding the journal when it is not a host', async () => {
  const journal = path.join(tmp, 'journal');
  const cfg = await writeConfig({
    targets: [{ name: 'cephfs', kind: 'filesystem', path: tmp }],
    journalDir: journal,
  });
  const { lockJournal } = await import('../../../electron/upload/journal-lock');
  const lock = await lockJournal(journal);
  const home = process.env.AQUILA_HOME;
  process.env.AQUILA_HOME = path.join(tmp, 'no-host'); // no session file: no host running
  try {
    await expect(command.run(['status', '--config', cfg], io().io)).rejects.toThrow(
      `is in use by process ${process.pid}`,
    );
  } finally {
    if (home === undefined) delete process.env.AQUILA_HOME;
    else process.env.AQUILA_HOME = home;
    await lock.release();
  }
});
