/** The queue's control surface, policies and errors, on the filesystem target (no gateway). */
import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uploadConfig, type UploadConfigInput } from '../../../electron/upload/config';
import { checkDiskSpace } from '../../../electron/upload/disk-space';
import { UploadQueue } from '../../../electron/upload/queue';
import type { UploadStatus } from '../../../electron/upload/status';
import { makeDataset, MIB } from './dataset-fixture';

let tmp: string;
let dest: string;
const queues: UploadQueue[] = [];

beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'aquila-queue-'));
  dest = await mkdtemp(path.join(tmp, 'dest-'));
});

afterEach(async () => {
  for (const q of queues.splice(0)) await q.close();
  await rm(tmp, { recursive: true, force: true });
});

function cfg(over: Partial<UploadConfigInput> = {}, target: Record<string, unknown> = {}) {
  return uploadConfig.parse({
    targets: [{ name: 'cephfs', kind: 'filesystem', path: dest, concurrency: 2, ...target }],
    retry: { baseMs: 20, maxMs: 50, maxAttempts: 2 },
    ...over,
  });
}

async function openQueue(config = cfg(), sends: string[] = []): Promise<UploadQueue> {
  const q = await UploadQueue.open({
    config,
    journalDir: path.join(tmp, 'journal'),
    observer: { sending: (rel) => sends.push(rel) },
  });
  queues.push(q);
  return q;
}

async function until(q: UploadQueue, ok: (s: UploadStatus) => boolean): Promise<UploadStatus> {
  for (let i = 0; i < 400; i++) {
    const s = q.snapshot()[0];
    if (s && ok(s)) return s;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`condition not reached; last status ${JSON.stringify(q.snapshot()[0])}`);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('UploadQueue (filesystem target)', () => {
  it('copies, verifies and renames every file, the manifest last, leaving no temp files', async () => {
    const dir = await makeDataset(tmp, 'ds', [
      { rel: 'a/x.bin', sizeBytes: 2 * MIB },
      { rel: 'b.json', sizeBytes: 100 },
      { rel: 'empty', sizeBytes: 0 },
    ]);
    const sends: string[] = [];
    const q = await openQueue(cfg(), sends);
    const id = await q.enqueue(dir, 'cephfs');
    expect(await q.enqueue(dir, 'cephfs')).toBe(id); // already pending: same job
    q.start();
    await q.whenIdle();
    const s = q.snapshot()[0];
    expect(s?.state, s?.reason).toBe('done');
    expect(s?.bytesDone).toBe(s?.bytesTotal);
    expect(sends.at(-1)).toBe('manifest.sha256');
    for (const rel of ['a/x.bin', 'b.json', 'empty', 'manifest.sha256'])
      expect(sha(await readFile(path.join(dest, 'ds', rel)))).toBe(
        sha(await readFile(path.join(dir, rel))),
      );
    const all = await readdir(path.join(dest, 'ds'), { recursive: true });
    expect(all.filter((f) => String(f).endsWith('.aquila-part'))).toEqual([]);
  });

  it('rejects unknown targets, folders without a manifest and bad manifest lines clearly', async () => {
    const q = await openQueue();
    const dir = await makeDataset(tmp, 'ds', [{ rel: 'a', sizeBytes: 10 }]);
    await expect(q.enqueue(dir, 'nope')).rejects.toThrow(
      'unknown upload target "nope" (configured: cephfs)',
    );
    await expect(q.enqueue(tmp, 'cephfs')).rejects.toThrow(/has no manifest\.sha256/);
    await appendFile(path.join(dir, 'manifest.sha256'), 'zz  ../../etc/passwd\n');
    await expect(q.enqueue(dir, 'cephfs')).rejects.toThrow(/manifest\.sha256 line 2: expected/);
    expect(q.snapshot()).toEqual([]);
  });

  it('pauses, resumes, cancels and retries; survives a close and reopen mid-upload', async () => {
    const files = Array.from({ length: 6 }, (_, i) => ({ rel: `f${i}`, sizeBytes: MIB }));
    const dir = await makeDataset(tmp, 'ds', files);
    const sends: string[] = [];
    let q = await openQueue(cfg({ bandwidthLimitMBps: 3 }), sends);
    const id = await q.enqueue(dir, 'cephfs');
    q.start();
    await until(q, (s) => s.state === 'uploading' && s.bytesDone > 0);
    await q.pause(id);
    expect(q.snapshot()[0]?.state).toBe('paused');
    const sentWhilePaused = sends.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(sends.length).toBe(sentWhilePaused);
    await expect(q.pause(id)).rejects.toThrow(/only a queued or running upload can be paused/);
    await q.resume(id);
    await until(q, (s) => s.state === 'uploading');
    await q.close();
    q = await openQueue(cfg({ bandwidthLimitMBps: 3 }), sends);
    expect(q.snapshot()[0]?.state).toBe('queued');
    q.start();
    await until(q, (s) => s.state === 'uploading');
    await q.cancel(id);
    expect(q.snapshot()[0]?.state).toBe('cancelled');
    await q.retry(id);
    await q.whenIdle();
    expect(q.snapshot()[0]?.state).toBe('done');
    await expect(q.cancel(id)).rejects.toThrow(/already done/);
    expect(new Set(sends)).toEqual(new Set([...files.map((f) => f.rel), 'manifest.sha256']));
  });

  it('fails with the file named when local data no longer matches the manifest', async () => {
    const dir = await makeDataset(tmp, 'ds', [{ rel: 'img.bin', sizeBytes: 5000 }]);
    await writeFile(path.join(dir, 'img.bin'), Buffer.alloc(5000, 7));
    const q = await openQueue();
    await q.enqueue(dir, 'cephfs');
    q.start();
    await q.whenIdle();
    const s = q.snapshot()[0];
    expect(s?.state).toBe('failed');
    expect(s?.reason).toMatch(/local file img\.bin no longer matches manifest\.sha256/);
    await expect(stat(path.join(dest, 'ds', 'img.bin'))).rejects.toThrow();
    await expect(stat(path.join(dest, 'ds', 'manifest.sha256'))).rejects.toThrow();
  });

  it('frees local space only after verification and after N days', async () => {
    const dir = await makeDataset(tmp, 'ds', [{ rel: 'a', sizeBytes: 1000 }]);
    const missing = path.join(tmp, 'no-dest');
    const q1 = await openQueue(cfg({}, { path: missing, freeLocalAfterDays: 1 }));
    await q1.enqueue(dir, 'cephfs');
    q1.start();
    await q1.whenIdle();
    expect(q1.snapshot()[0]?.reason).toMatch(/destination is not an existing directory/);
    expect(await q1.applyRetention(Date.now() + 3 * 86_400_000)).toEqual([]);
    await q1.close();
    await rm(path.join(tmp, 'journal'), { recursive: true });
    const q2 = await openQueue(cfg({}, { freeLocalAfterDays: 1 }));
    await q2.enqueue(dir, 'cephfs');
    q2.start();
    await q2.whenIdle();
    expect(q2.snapshot()[0]?.state).toBe('done');
    expect(await q2.applyRetention(Date.now())).toEqual([]);
    await stat(dir);
    expect(await q2.applyRetention(Date.now() + 2 * 86_400_000)).toEqual([dir]);
    await expect(stat(dir)).rejects.toThrow();
    expect(q2.snapshot()[0]?.localFreed).toBe(true);
    expect((await readFile(path.join(dest, 'ds', 'a'))).length).toBe(1000);
  });

  it('holds local reads to the disk share while an acquisition runs', async () => {
    const dir = await makeDataset(tmp, 'ds', [
      { rel: 'a', sizeBytes: MIB },
      { rel: 'b', sizeBytes: MIB },
      { rel: 'c', sizeBytes: MIB },
    ]);
    const q = await openQueue(cfg({ diskShare: { fraction: 0.5, diskMBps: 4 } }));
    q.setAcquisitionActive(true);
    await q.enqueue(dir, 'cephfs');
    const t0 = performance.now();
    q.start();
    await q.whenIdle();
    // 3 MiB at 2 MB/s, the first MiB without waiting: at least ~1 s
    expect(performance.now() - t0).toBeGreaterThan(950);
    expect(q.snapshot()[0]?.state).toBe('done');
  });

  it('refuses a journal another live process holds', async () => {
    await openQueue();
    await expect(
      UploadQueue.open({ config: cfg(), journalDir: path.join(tmp, 'journal') }),
    ).rejects.toThrow(/is in use by process \d+/);
  });

  it('reports disk space with the nearly-full policy', async () => {
    const roomy = await checkDiskSpace(tmp, { minFreeGiB: 0, minFreeFraction: 0 });
    expect(roomy.totalBytes).toBeGreaterThan(0);
    expect(roomy.nearlyFull).toBe(false);
    const full = await checkDiskSpace(tmp, { minFreeGiB: 1e9, minFreeFraction: 0 });
    expect(full.nearlyFull).toBe(true);
  });
});
