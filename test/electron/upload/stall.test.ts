/**
 * A gateway that stops moving bytes mid-upload (a frozen TCP proxy in front of a real Ceph
 * RGW): the stalled requests time out after `stallTimeoutS`, the attempt is retried with
 * backoff, and the upload completes once bytes flow again. Without the stall timeout the
 * SDK would wait on the dead connections for ever.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { uploadConfig } from '../../../electron/upload/config';
import { UploadQueue } from '../../../electron/upload/queue';
import type { UploadStatus } from '../../../electron/upload/status';
import { makeDataset, MIB } from './dataset-fixture';
import { remoteSha256, useRgwBucket } from './rgw';
import { until } from '../../support/wait';
import { TcpProxy } from './tcp-proxy';

const fx = useRgwBucket('aq-stall');

it('abandons requests on a stalled gateway, retries, and completes when bytes flow again', async () => {
  const gw = fx.rgw;
  const proxy = new TcpProxy(new URL(gw.endpoint));
  await proxy.listen();
  const dir = await makeDataset(fx.tmp, 'ds-stall', [
    { rel: 'a.bin', sizeBytes: 24 * MIB },
    { rel: 'b.json', sizeBytes: 700 },
  ]);
  const queue = await UploadQueue.open({
    config: uploadConfig.parse({
      targets: [
        {
          name: 'ceph',
          kind: 's3',
          endpoint: proxy.endpoint,
          bucket: fx.bucket,
          credentials: { accessKeyId: gw.accessKeyId, secretAccessKey: gw.secretAccessKey },
          partSizeMiB: 5,
          concurrency: 2,
          stallTimeoutS: 1,
        },
      ],
      bandwidthLimitMBps: 8,
      retry: { baseMs: 200, maxMs: 500, maxAttempts: 20 },
    }),
    journalDir: path.join(fx.tmp, 'journal'),
  });
  let last: UploadStatus | undefined;
  queue.subscribe((snap) => (last = snap[0]));
  try {
    await queue.enqueue(dir, 'ceph');
    queue.start();
    await until('some progress', () => (last?.bytesDone ?? 0) >= 5 * MIB, 30_000);
    proxy.freeze();
    const frozenAt = Date.now();
    await until('a timed-out attempt', () => (last?.attempts ?? 0) >= 1, 15_000);
    expect(Date.now() - frozenAt).toBeLessThan(10_000);
    expect(last?.reason).toMatch(/upload target "ceph".*(timed out|inactivity)/);
    expect(last?.state).toBe('queued'); // waiting to retry, not failed
    proxy.thaw();
    // Moving again: the progress line no longer shows the old error.
    const resumedFrom = last?.bytesDone ?? 0;
    await until(
      'progress after the stall',
      () => last?.state === 'uploading' && (last?.bytesDone ?? 0) > resumedFrom,
      30_000,
    );
    expect(last?.reason).toBeUndefined();
    await queue.whenIdle();
    const final = queue.snapshot()[0];
    expect(final?.state, final?.reason).toBe('done');
    // The parts cut short by the stall went again, and the status says how much.
    expect(final?.bytesResent).toBeGreaterThan(0);
    const manifest = await readFile(path.join(dir, 'manifest.sha256'), 'utf8');
    for (const line of manifest.trim().split('\n'))
      expect(await remoteSha256(gw, fx.bucket, `ds-stall/${line.slice(66)}`)).toBe(
        line.slice(0, 64),
      );
  } finally {
    await queue.close();
    await proxy.close();
  }
}, 120_000);
