/**
 * kill -9 of the uploader process at random moments, ≥ 5 times, then a clean run: the upload
 * resumes and every remote file equals the local one (S3 on a real Ceph RGW, and the
 * filesystem target). S3 re-sends at most one request per kill although several are in
 * flight; the filesystem target re-copies at most the files that were being copied.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { resends, runWithKills } from './crash-harness';
import { TcpProxy } from './tcp-proxy';
import { makeDataset, MIB } from './dataset-fixture';
import { remoteSha256, useRgwBucket } from './rgw';

const KILLS = 5;
const CONCURRENCY = 3;
const fx = useRgwBucket('aq-crash');

/** Deterministic per run, different across runs: the seed is printed on failure. */
const seed = Date.now() % 100_000;
function mulberry(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function manifestEntries(dir: string): Promise<[string, string][]> {
  const text = await readFile(path.join(dir, 'manifest.sha256'), 'utf8');
  const entries = text
    .trim()
    .split('\n')
    .map((l) => [l.slice(0, 64), l.slice(66)] as [string, string]);
  entries.push([createHash('sha256').update(text).digest('hex'), 'manifest.sha256']);
  return entries;
}

describe(`kill -9 mid-upload, ${KILLS} times (seed ${seed})`, () => {
  it('S3: resumes, re-sends at most one part per kill, remote sha256 equals local', async () => {
    const dir = await makeDataset(fx.tmp, 'ds-crash-s3', [
      { rel: 'image.ome.zarr/0/0.0.0', sizeBytes: 17 * MIB + 999 },
      { rel: 'image.ome.zarr/0/1.0.0', sizeBytes: 11 * MIB },
      { rel: 'journal.jsonl', sizeBytes: 20_000 },
      { rel: 'provenance.json', sizeBytes: 2_000 },
    ]);
    // An 8 MB/s link (not the upload's own bandwidth limit, which releases one part at a
    // time): every request in flight is on the wire at once unless the uploader holds
    // bodies back. Bytes a killed uploader had handed to its kernel are still delivered;
    // each restart waits for that, as a restart after a crash would on a LAN (where a
    // kernel's few MiB drain in milliseconds, not the seconds of this slow link).
    const link = new TcpProxy(new URL(fx.rgw.endpoint), 8e6);
    await link.listen();
    const config = {
      targets: [
        {
          name: 'ceph',
          kind: 's3',
          endpoint: link.endpoint,
          bucket: fx.bucket,
          region: fx.rgw.region,
          credentials: { accessKeyId: fx.rgw.accessKeyId, secretAccessKey: fx.rgw.secretAccessKey },
          partSizeMiB: 5,
          concurrency: CONCURRENCY,
        },
      ],
      retry: { baseMs: 100, maxMs: 500, maxAttempts: 5 },
    };
    const trace = path.join(fx.tmp, 'trace-s3.txt');
    const run = await runWithKills(
      { config, journalDir: path.join(fx.tmp, 'journal-s3'), dataset: dir, target: 'ceph', trace },
      KILLS,
      mulberry(seed),
      10,
      () => link.drained(),
    ).finally(() => link.close());
    expect(run.kills).toBe(KILLS);
    expect(run.final.map((s) => [s.state, s.reason])).toEqual([['done', undefined]]);
    // One body on the wire at a time (wire.ts): each kill cuts at most one request short.
    expect(resends(run.sends), run.sends.join(' ')).toBeLessThanOrEqual(KILLS);
    expect(new Set(run.sends).size).toBe(10); // 4 + 3 parts of the big files, 2 small, manifest
    for (const [sha, rel] of await manifestEntries(dir))
      expect(await remoteSha256(fx.rgw, fx.bucket, `ds-crash-s3/${rel}`), rel).toBe(sha);
    const left = await fx.rgw.client.send(
      new ListMultipartUploadsCommand({ Bucket: fx.bucket, Prefix: 'ds-crash-s3/' }),
    );
    expect(left.Uploads ?? []).toHaveLength(0);
  }, 120_000);

  it('filesystem: resumes, re-copies only in-flight files, every copy equals the local file', async () => {
    const files = Array.from({ length: 10 }, (_, i) => ({
      rel: `image.ome.zarr/0/${i}.0.0`,
      sizeBytes: 3 * MIB + i,
    }));
    const dir = await makeDataset(fx.tmp, 'ds-crash-fs', files);
    const dest = await mkdtemp(path.join(fx.tmp, 'cephfs-'));
    const config = {
      targets: [{ name: 'cephfs', kind: 'filesystem', path: dest, concurrency: CONCURRENCY }],
      bandwidthLimitMBps: 8,
      retry: { baseMs: 100, maxMs: 500, maxAttempts: 5 },
    };
    const trace = path.join(fx.tmp, 'trace-fs.txt');
    const run = await runWithKills(
      {
        config,
        journalDir: path.join(fx.tmp, 'journal-fs'),
        dataset: dir,
        target: 'cephfs',
        trace,
      },
      KILLS,
      mulberry(seed + 1),
      files.length + 1,
    );
    expect(run.kills).toBe(KILLS);
    expect(run.final.map((s) => [s.state, s.reason])).toEqual([['done', undefined]]);
    expect(resends(run.sends)).toBeLessThanOrEqual(KILLS * CONCURRENCY);
    for (const [sha, rel] of await manifestEntries(dir)) {
      const copy = await readFile(path.join(dest, 'ds-crash-fs', rel));
      expect(createHash('sha256').update(copy).digest('hex'), rel).toBe(sha);
    }
  }, 120_000);
});
