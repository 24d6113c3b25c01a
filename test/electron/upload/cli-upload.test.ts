/** `aquila upload DATASET --target NAME --config CFG`, in-process, to a filesystem target. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { command } from '../../../electron/cli/commands/upload';
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
