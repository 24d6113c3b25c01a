/**
 * Failed S3 uploads on a real Ceph RGW: a file changed locally after archiving is refused
 * before any of it is sent again; a failed upload's incomplete multipart uploads are aborted
 * (keepFailedPartsH: 0) and reported, or kept and resumed by a retry without re-sending
 * the parts already on the gateway.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { uploadConfig } from '../../../electron/upload/config';
import { UploadQueue } from '../../../electron/upload/queue';
import type { UploadStatus } from '../../../electron/upload/status';
import { until } from '../../support/wait';
import { makeDataset, MIB } from './dataset-fixture';
import { remoteSha256, useRgwBucket } from './rgw';
import { TcpProxy } from './tcp-proxy';

const fx = useRgwBucket('aq-s3fail');

async function open(
  name: string,
  over: Record<string, unknown>,
  sends: string[],
  endpoint?: string,
) {
  return UploadQueue.open({
    config: uploadConfig.parse({
      targets: [
        {
          name: 'ceph',
          kind: 's3',
          endpoint: endpoint ?? fx.rgw.endpoint,
          bucket: fx.bucket,
          credentials: { accessKeyId: fx.rgw.accessKeyId, secretAccessKey: fx.rgw.secretAccessKey },
          partSizeMiB: 5,
          concurrency: 2,
          stallTimeoutS: 3,
        },
      ],
      retry: { baseMs: 50, maxMs: 100, maxAttempts: 1 },
      ...over,
    }),
    journalDir: path.join(fx.tmp, `journal-${name}`),
    observer: { sending: (rel, n) => sends.push(`${rel}#${n}`) },
  });
}

async function incomplete(prefix: string) {
  const r = await fx.rgw.client.send(
    new ListMultipartUploadsCommand({ Bucket: fx.bucket, Prefix: prefix }),
  );
  return r.Uploads ?? [];
}

it('refuses a file changed after archiving before sending any of it', async () => {
  const dir = await makeDataset(fx.tmp, 'ds-changed', [
    { rel: 'big.bin', sizeBytes: 12 * MIB },
    { rel: 'small.json', sizeBytes: 300 },
  ]);
  const sends: string[] = [];
  const q = await open('changed', {}, sends);
  try {
    await q.enqueue(dir, 'ceph');
    q.start();
    await q.whenIdle();
    expect(q.snapshot()[0]?.state).toBe('done');
    sends.length = 0;
    await writeFile(path.join(dir, 'big.bin'), Buffer.alloc(12 * MIB, 7)); // changed locally
    const id = await q.enqueue(dir, 'ceph');
    await q.whenIdle();
    const s = q.snapshot().find((x) => x.id === id);
    expect(s?.state).toBe('failed');
    expect(s?.reason).toMatch(/local file big\.bin no longer matches manifest\.sha256/);
    expect(sends.filter((x) => x.startsWith('big.bin'))).toEqual([]);
  } finally {
    await q.close();
  }
}, 60_000);

it('aborts and reports the incomplete multipart uploads of a failed upload (keepFailedPartsH 0)', async () => {
  const dir = await makeDataset(fx.tmp, 'ds-abort', [{ rel: 'big.bin', sizeBytes: 16 * MIB }]);
  // Changed after the manifest was written: found out only once every part was sent.
  await writeFile(path.join(dir, 'big.bin'), Buffer.alloc(16 * MIB, 1));
  const sends: string[] = [];
  const q = await open('abort', { keepFailedPartsH: 0 }, sends);
  try {
    await q.enqueue(dir, 'ceph');
    q.start();
    await q.whenIdle();
    const s = q.snapshot()[0];
    expect(s?.state).toBe('failed');
    expect(s?.reason).toMatch(
      /no longer matches manifest\.sha256.*; aborted 1 incomplete multipart upload\(s\) on the gateway \(the local file changed\): big\.bin/,
    );
    expect(await incomplete('ds-abort/')).toEqual([]);
  } finally {
    await q.close();
  }
}, 60_000);

it('keeps a failed upload’s parts for a retry, which resumes without re-sending them', async () => {
  const dir = await makeDataset(fx.tmp, 'ds-keep', [
    { rel: 'big.bin', sizeBytes: 30 * MIB },
    { rel: 'small.json', sizeBytes: 300 },
  ]);
  const proxy = new TcpProxy(new URL(fx.rgw.endpoint), 10e6);
  await proxy.listen();
  const sends: string[] = [];
  const q = await open('keep', {}, sends, proxy.endpoint);
  let last: UploadStatus | undefined;
  q.subscribe((snap) => (last = snap[0]));
  try {
    const id = await q.enqueue(dir, 'ceph');
    q.start();
    await until(
      'two parts on the gateway',
      () => (last?.bytesDone ?? 0) >= 10 * MIB || last?.state === 'failed',
      30_000,
    );
    expect(last?.state, last?.reason).toBe('uploading');
    proxy.freeze(); // the requests in flight stall; one attempt only: the upload fails
    await until('failed', () => last?.state === 'failed', 20_000);
    expect(last?.reason).toMatch(/timed out/);
    expect(last?.reason).toMatch(
      /1 incomplete multipart upload\(s\) stay on the gateway for `aquila upload retry` until/,
    );
    expect(await incomplete('ds-keep/')).toHaveLength(1);
    proxy.thaw();
    const before = [...sends];
    expect(await q.enqueue(dir, 'ceph')).toBe(id); // the failed job, resumed
    await q.whenIdle();
    const s = q.snapshot()[0];
    expect(s?.state, s?.reason).toBe('done');
    // Parts accepted before the failure were not sent again: only those cut short were.
    const accepted = before.filter((x) => x.startsWith('big.bin')).length - 2; // ≤ 2 in flight
    const again = sends.slice(before.length).filter((x) => before.includes(x));
    expect(again.length).toBeLessThanOrEqual(2);
    expect(accepted).toBeGreaterThanOrEqual(1);
    const manifest = await readFile(path.join(dir, 'manifest.sha256'), 'utf8');
    expect(await remoteSha256(fx.rgw, fx.bucket, 'ds-keep/big.bin')).toBe(
      /^([0-9a-f]{64}) {2}big\.bin$/m.exec(manifest)?.[1],
    );
    expect(await incomplete('ds-keep/')).toEqual([]);
  } finally {
    await q.close();
    await proxy.close();
  }
}, 90_000);

it('aborts a failed upload’s kept parts once keepFailedPartsH has passed', async () => {
  const dir = await makeDataset(fx.tmp, 'ds-expire', [{ rel: 'big.bin', sizeBytes: 30 * MIB }]);
  const proxy = new TcpProxy(new URL(fx.rgw.endpoint), 10e6);
  await proxy.listen();
  const sends: string[] = [];
  // 0.001 h = 3.6 s
  const q = await open('expire', { keepFailedPartsH: 0.001 }, sends, proxy.endpoint);
  let last: UploadStatus | undefined;
  q.subscribe((snap) => (last = snap[0]));
  try {
    await q.enqueue(dir, 'ceph');
    q.start();
    await until('a part on the gateway', () => (last?.bytesDone ?? 0) >= 5 * MIB, 30_000);
    proxy.freeze();
    await until('failed', () => last?.state === 'failed', 20_000);
    expect(await incomplete('ds-expire/')).toHaveLength(1);
    proxy.thaw();
    for (let i = 0; i < 200 && (await incomplete('ds-expire/')).length; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await incomplete('ds-expire/')).toEqual([]);
  } finally {
    await q.close();
    await proxy.close();
  }
  // The journal says so: a retry would not look for the aborted upload.
  const journal = await readFile(
    path.join(fx.tmp, 'journal-expire', 'upload-journal.jsonl'),
    'utf8',
  );
  expect(journal).toContain('"t":"mpu-aborted"');
}, 90_000);
