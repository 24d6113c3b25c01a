/**
 * radosgw stopped (SIGKILL) mid-upload on a private cluster: the queue retries with backoff,
 * then resumes when radosgw is started again, and the remote copy verifies.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { uploadConfig } from '../../../electron/upload/config';
import { UploadQueue } from '../../../electron/upload/queue';
import type { UploadStatus } from '../../../electron/upload/status';
import { cephTarget } from '../../support/ceph-gateway';
import { makeDataset, MIB } from './dataset-fixture';
import { remoteSha256, startGateway, stopGateway, useRgwBucket } from './rgw';
import { until } from '../../support/wait';

const fx = useRgwBucket('aq-outage', true);

it('retries while radosgw is down and resumes when it is back', async () => {
  const gw = fx.rgw;
  const dir = await makeDataset(fx.tmp, 'ds-outage', [
    { rel: 'a.bin', sizeBytes: 16 * MIB },
    { rel: 'b.bin', sizeBytes: 9 * MIB },
    { rel: 'c.json', sizeBytes: 500 },
  ]);
  const queue = await UploadQueue.open({
    config: uploadConfig.parse({
      targets: [cephTarget(gw, fx.bucket, { partSizeMiB: 5, concurrency: 2 })],
      bandwidthLimitMBps: 8,
      retry: { baseMs: 200, maxMs: 1_000, maxAttempts: 60 },
    }),
    journalDir: path.join(fx.tmp, 'journal'),
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
    expect(await remoteSha256(gw, fx.bucket, `ds-outage/${line.slice(66)}`)).toBe(
      line.slice(0, 64),
    );
  expect(await remoteSha256(gw, fx.bucket, 'ds-outage/manifest.sha256')).toBe(
    createHash('sha256').update(manifest).digest('hex'),
  );
}, 120_000);
