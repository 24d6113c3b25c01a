/**
 * Live archiving while radosgw itself is stopped for part of the run (a private cluster, as
 * the outage test): the run acquires every frame, the live job retries without giving up, and
 * once the gateway is back the archive catches up and verifies, byte-identical.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { uploadConfig } from '../../../electron/upload/config';
import { UploadQueue } from '../../../electron/upload/queue';
import type { UploadStatus } from '../../../electron/upload/status';
import { cephTarget } from '../../support/ceph-gateway';
import { openLiveRun } from './live-run';
import { remoteSha256, startGateway, stopGateway, useRgwBucket } from './rgw';

const fx = useRgwBucket('aq-live-gw', true);

it('acquires through a gateway outage with 0 drops and the archive catches up', async () => {
  const gw = fx.rgw;
  const q = await UploadQueue.open({
    config: uploadConfig.parse({
      targets: [cephTarget(gw, fx.bucket, { concurrency: 3, stallTimeoutS: 2, archive: 'live' })],
      // Few attempts: a live job must not fail on them while its run is open.
      retry: { baseMs: 100, maxMs: 400, maxAttempts: 2 },
    }),
    journalDir: path.join(fx.tmp, 'journal'),
  });
  let last: UploadStatus | undefined;
  let maxAttempts = 0;
  q.subscribe((s) => {
    last = s[0];
    maxAttempts = Math.max(maxAttempts, last?.attempts ?? 0);
  });
  q.start();
  try {
    const live = await openLiveRun({
      root: path.join(fx.tmp, 'data'),
      name: 'run-gw',
      side: 1024,
      frames: 64,
      fps: 8,
      queue: q,
      onFrame: async (seq) => {
        if (seq === 12) await stopGateway(gw);
        if (seq === 44) await startGateway(gw);
      },
    });
    const r = await live.run();
    expect(r.framesDropped).toBe(0);
    expect(r.framesWritten).toBe(64);
    expect(maxAttempts).toBeGreaterThan(2); // more failures than maxAttempts, still not failed
    await q.whenIdle();
    const s = q.snapshot()[0];
    expect(s?.state, s?.reason).toBe('done');
    const manifest = await readFile(path.join(r.dir, 'manifest.sha256'), 'utf8');
    for (const l of manifest.trim().split('\n'))
      expect(await remoteSha256(gw, fx.bucket, `run-gw/${l.slice(66)}`), l.slice(66)).toBe(
        l.slice(0, 64),
      );
  } finally {
    await q.close();
  }
}, 240_000);
