/**
 * radosgw stopped (SIGKILL) mid-upload on a private cluster: the queue retries with backoff,
 * then resumes when radosgw is started again, and the remote copy verifies.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { uploadConfig } from '../../../electron/upload/config';
import { UploadQueue } from '../../../electron/upload/queue';
import type { UploadStatus } from '../../../electron/upload/status';
import { makeDataset, MIB } from './dataset-fixture';
import {
  createBucket,
  remoteSha256,
  startGateway,
  startRgw,
  stopGateway,
  stopRgw,
  type Rgw,
} from './rgw';

let rgw: Rgw | undefined;
let tmp: string;
const bucket = 'aq-outage';

beforeAll(async () => {
  rgw = await startRgw(true); // private: stopping radosgw must not disturb other suites
  tmp = await mkdtemp(path.join(tmpdir(), 'aquila-outage-'));
  await createBucket(rgw, bucket);
}, 180_000);

afterAll(async () => {
  await stopRgw(rgw);
  if (tmp) await rm(tmp, { recursive: true, force: true });
}, 60_000);

async function until(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('retries while radosgw is down and resumes when it is back', async () => {
  const gw = rgw as Rgw;
  const dir = await makeDataset(tmp, 'ds-outage', [
    { rel: 'a.bin', sizeBytes: 16 * MIB },
    { rel: 'b.bin', sizeBytes: 9 * MIB },
    { rel: 'c.json', sizeBytes: 500 },
  ]);
  const queue = await UploadQueue.open({
    config: uploadConfig.parse({
      targets: [
        {
          name: 'ceph',
          kind: 's3',
          endpoint: gw.endpoint,
          bucket,
          credentials: { accessKeyId: gw.accessKeyId, secretAccessKey: gw.secretAccessKey },
          partSizeMiB: 5,
          concurrency: 2,
        },
      ],
      bandwidthLimitMBps: 8,
      retry: { baseMs: 200, maxMs: 1_000, maxAttempts: 60 },
    }),
    journalDir: path.join(tmp, 'journal'),
  });
  let last: UploadStatus | undefined;
  const states = new Set<string>();
  queue.subscribe((snap) => {
    last = snap[0];
    if (last) states.add(last.state);
  });
  await queue.enqueue(dir, 'ceph');
  queue.start();
  await until('some progress', () => (last?.bytesDone ?? 0) >= 5 * MIB, 30_000);
  await stopGateway(gw);
  await until('a failed attempt', () => (last?.attempts ?? 0) >= 2, 30_000);
  expect(last?.state).toBe('queued');
  expect(last?.reason).toMatch(/upload target "ceph"/);
  expect(last?.retryAtMs).toBeGreaterThan(0);
  await startGateway(gw);
  await queue.whenIdle();
  const final = queue.snapshot()[0];
  await queue.close();
  expect(final?.state, final?.reason).toBe('done');
  expect(final?.attempts).toBe(0);
  const manifest = await readFile(path.join(dir, 'manifest.sha256'), 'utf8');
  for (const line of manifest.trim().split('\n'))
    expect(await remoteSha256(gw, bucket, `ds-outage/${line.slice(66)}`)).toBe(line.slice(0, 64));
  expect(await remoteSha256(gw, bucket, 'ds-outage/manifest.sha256')).toBe(
    createHash('sha256').update(manifest).digest('hex'),
  );
}, 120_000);
