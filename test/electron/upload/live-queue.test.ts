/**
 * The queue's live archiving and failure handling on the filesystem target (no gateway):
 * files reported final go while the "run" is open, the rest and the manifest at close; a
 * failed upload enqueued again resumes the same job; a missing folder is named as such.
 */
import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { uploadConfig } from '../../../electron/upload/config';
import { UploadQueue } from '../../../electron/upload/queue';
import { until } from '../../support/wait';
import { MIB } from './dataset-fixture';

let tmp: string;
let dest: string;
const queues: UploadQueue[] = [];
beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'aquila-live-queue-'));
  dest = path.join(tmp, 'cephfs');
});
afterEach(async () => {
  for (const q of queues.splice(0)) await q.close();
  await rm(tmp, { recursive: true, force: true });
});

async function open(archive: string, sends: string[] = []): Promise<UploadQueue> {
  const q = await UploadQueue.open({
    config: uploadConfig.parse({
      targets: [{ name: 'cephfs', kind: 'filesystem', path: dest, archive }],
      retry: { baseMs: 20, maxMs: 50, maxAttempts: 2 },
    }),
    journalDir: path.join(tmp, 'journal'),
    observer: { sending: (rel) => sends.push(rel) },
  });
  queues.push(q);
  return q;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const exists = (f: string) =>
  access(f).then(
    () => true,
    () => false,
  );

async function writeFileOf(dir: string, rel: string, bytes: number) {
  const data = randomBytes(bytes);
  await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await writeFile(path.join(dir, rel), data);
  return { rel, sha256: sha(data), sizeBytes: bytes };
}

async function closeRun(dir: string, files: { rel: string; sha256: string }[]) {
  const lines = files
    .map((f) => `${f.sha256}  ${f.rel}`)
    .sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : 1));
  await writeFile(path.join(dir, 'manifest.sha256'), `${lines.join('\n')}\n`);
}

it('sends final files while the run is open, the rest and the manifest after close', async () => {
  await mkdir(dest);
  const sends: string[] = [];
  const q = await open('live', sends);
  q.start();
  const dir = path.join(tmp, 'run-1');
  await mkdir(dir);
  const [id] = await q.enqueueRunStart(dir);
  const chunk0 = await writeFileOf(dir, 'image.ome.zarr/0/0/0/0', MIB);
  q.fileFinal(dir, chunk0);
  const remote0 = path.join(dest, 'run-1', chunk0.rel);
  await until(
    'chunk 0 on the target while the run is open',
    () => sends.includes(chunk0.rel),
    10_000,
  );
  await until(
    'chunk 0 verified',
    () => (q.snapshot()[0]?.live?.archivedBytes ?? 0) === MIB,
    10_000,
  );
  expect(sha(await readFile(remote0))).toBe(chunk0.sha256);
  expect(await exists(path.join(dest, 'run-1', 'manifest.sha256'))).toBe(false);
  const chunk1 = await writeFileOf(dir, 'image.ome.zarr/0/0/0/1', 2 * MIB);
  q.fileFinal(dir, chunk1);
  const s = q.snapshot().find((x) => x.id === id);
  expect(s?.live?.acquiredBytes).toBe(3 * MIB);
  // Mutable until close: metadata and provenance are never reported final.
  const attrs = await writeFileOf(dir, 'image.ome.zarr/zarr.json', 300);
  const prov = await writeFileOf(dir, 'provenance.json', 200);
  await until('chunk 1 verified', () => q.snapshot()[0]?.live?.archivedBytes === 3 * MIB, 10_000);
  expect(sends).not.toContain(attrs.rel);
  await closeRun(dir, [chunk0, chunk1, attrs, prov]);
  expect(await q.enqueueRunEnd(dir)).toEqual([id]);
  await q.whenIdle();
  const done = q.snapshot()[0];
  expect(done?.state, done?.reason).toBe('done');
  expect(done?.live).toBeUndefined();
  // Each file sent once: the live ones were not sent again at close.
  expect(sends.sort()).toEqual(
    [chunk0.rel, chunk1.rel, attrs.rel, prov.rel, 'manifest.sha256'].sort(),
  );
  expect(await readFile(path.join(dest, 'run-1', 'manifest.sha256'), 'utf8')).toBe(
    await readFile(path.join(dir, 'manifest.sha256'), 'utf8'),
  );
});

it('a live job whose run was closed by someone else (recovery) notices it and finishes', async () => {
  await mkdir(dest);
  const dir = path.join(tmp, 'run-2');
  await mkdir(dir);
  const first = await open('live');
  await first.enqueueRunStart(dir);
  const chunk = await writeFileOf(dir, 'image.ome.zarr/0/0/0/0', 1000);
  first.fileFinal(dir, chunk);
  await first.close(); // "crash": the run never reports its end
  await closeRun(dir, [chunk]);
  const q = await open('live');
  q.start();
  await q.whenIdle();
  expect(q.snapshot()[0]?.state).toBe('done');
  expect(await exists(path.join(dest, 'run-2', 'manifest.sha256'))).toBe(true);
}, 20_000);

it('enqueuing a failed upload again resumes that job instead of starting a new one', async () => {
  const dir = path.join(tmp, 'run-3');
  await mkdir(dir);
  const a = await writeFileOf(dir, 'a.bin', 1000);
  await closeRun(dir, [a]);
  const q = await open('manual');
  const id = await q.enqueue(dir, 'cephfs');
  q.start();
  await q.whenIdle();
  expect(q.snapshot()[0]?.state).toBe('failed'); // the destination is not mounted
  await mkdir(dest);
  expect(await q.enqueue(dir, 'cephfs')).toBe(id);
  await q.whenIdle();
  expect(q.snapshot().map((s) => [s.id, s.state])).toEqual([[id, 'done']]);
});

it('names a dataset folder that does not exist, or a file given as one', async () => {
  const q = await open('manual');
  await expect(q.enqueue(path.join(tmp, 'nope'), 'cephfs')).rejects.toThrow(
    `dataset folder ${path.join(tmp, 'nope')} does not exist`,
  );
  await writeFile(path.join(tmp, 'f'), 'x');
  await expect(q.enqueue(path.join(tmp, 'f'), 'cephfs')).rejects.toThrow(
    'is a file, not a dataset folder',
  );
});

it('tells onVerified listeners the dataset, target and manifest digest once verified', async () => {
  await mkdir(dest);
  const dir = path.join(tmp, 'run-5');
  await mkdir(dir);
  const a = await writeFileOf(dir, 'a.bin', 1000);
  await closeRun(dir, [a]);
  const q = await open('manual');
  const seen: unknown[] = [];
  q.onVerified((e) => seen.push(e));
  const id = await q.enqueue(dir, 'cephfs');
  q.start();
  await q.whenIdle();
  expect(seen).toEqual([
    {
      jobId: id,
      dataset: dir,
      target: 'cephfs',
      manifestDigest: sha(await readFile(path.join(dir, 'manifest.sha256'))),
    },
  ]);
});

it('re-sends a file sent live whose manifest hash disagrees with what the writer reported', async () => {
  await mkdir(dest);
  const sends: string[] = [];
  const q = await open('live', sends);
  q.start();
  const dir = path.join(tmp, 'run-6');
  await mkdir(dir);
  await q.enqueueRunStart(dir);
  const chunk = await writeFileOf(dir, 'image.ome.zarr/0/0/0/0', 1000);
  q.fileFinal(dir, chunk);
  await until('chunk sent', () => q.snapshot()[0]?.live?.archivedBytes === 1000, 10_000);
  const changed = await writeFileOf(dir, chunk.rel, 1000); // the writer broke its promise
  await closeRun(dir, [changed]);
  await q.enqueueRunEnd(dir);
  await q.whenIdle();
  expect(q.snapshot()[0]?.state).toBe('done');
  expect(sends.filter((s) => s === chunk.rel)).toHaveLength(2);
  expect(sha(await readFile(path.join(dest, 'run-6', chunk.rel)))).toBe(changed.sha256);
});
