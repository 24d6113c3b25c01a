import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  UploadPartCommand,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-s3';
import type { FinalizeRequestMiddleware } from '@smithy/types';
import { uploadConfig, type UploadConfigInput } from '../../../electron/upload/config';
import { UploadQueue, type UploadQueueOptions } from '../../../electron/upload/queue';
import type { UploadStatus } from '../../../electron/upload/status';
import type { PartBody } from '../../../electron/upload/wire';
import { makeDataset, MIB, typicalFiles } from './dataset-fixture';
import { remoteSha256, useRgwBucket } from './rgw';

type Middleware = FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes>;

const fx = useRgwBucket('aq-s3');

function s3Config(over: Record<string, unknown> = {}): UploadConfigInput {
  return {
    targets: [
      {
        name: 'ceph',
        kind: 's3',
        endpoint: fx.rgw.endpoint,
        bucket: fx.bucket,
        prefix: 'raw/',
        region: fx.rgw.region,
        credentials: { accessKeyIdEnv: 'AQ_TEST_KEY', secretAccessKeyEnv: 'AQ_TEST_SECRET' },
        partSizeMiB: 5,
        concurrency: 4,
        ...over,
      },
    ],
    retry: { baseMs: 50, maxMs: 200, maxAttempts: 3 },
  } as UploadConfigInput;
}

async function openQueue(
  name: string,
  cfg: UploadConfigInput,
  extra: Partial<UploadQueueOptions> = {},
  env?: Record<string, string>,
) {
  const lines: string[] = [];
  const queue = await UploadQueue.open({
    config: uploadConfig.parse(cfg),
    journalDir: path.join(fx.tmp, `journal-${name}`),
    env: env ?? { AQ_TEST_KEY: fx.rgw.accessKeyId, AQ_TEST_SECRET: fx.rgw.secretAccessKey },
    logger: { log: (level, m) => lines.push(`${level} ${m}`) },
    ...extra,
  });
  return { queue, lines };
}

async function runToEnd(queue: UploadQueue, id: string): Promise<UploadStatus> {
  queue.start();
  await queue.whenIdle();
  const s = queue.snapshot().find((x) => x.id === id);
  if (!s) throw new Error(`no status for ${id}`);
  return s;
}

async function expectRemoteMatchesLocal(dir: string, prefix: string): Promise<void> {
  const manifest = await readFile(path.join(dir, 'manifest.sha256'), 'utf8');
  const entries = manifest
    .trim()
    .split('\n')
    .map((l) => [l.slice(0, 64), l.slice(66)] as const);
  expect(entries.length).toBeGreaterThan(0);
  for (const [sha, rel] of entries)
    expect(await remoteSha256(fx.rgw, fx.bucket, `${prefix}${rel}`), rel).toBe(sha);
  const remoteManifest = await remoteSha256(fx.rgw, fx.bucket, `${prefix}manifest.sha256`);
  const { createHash } = await import('node:crypto');
  expect(remoteManifest).toBe(createHash('sha256').update(manifest).digest('hex'));
}

describe('S3 target against Ceph RGW', () => {
  it('uploads a multi-file dataset, verifies it and stores sha256 metadata', async () => {
    const dir = await makeDataset(fx.tmp, 'ds-basic', typicalFiles(12));
    const { queue, lines } = await openQueue('basic', s3Config());
    const seen: string[] = [];
    queue.subscribe((snap) => seen.push(...snap.map((s) => s.state)));
    const id = await queue.enqueue(dir, 'ceph');
    const s = await runToEnd(queue, id);
    await queue.close();
    expect(s.state, s.reason).toBe('done');
    expect(s.bytesDone).toBe(s.bytesTotal);
    expect(seen).toContain('uploading');
    await expectRemoteMatchesLocal(dir, 'raw/ds-basic/');
    const head = await fx.rgw.client.send(
      new HeadObjectCommand({ Bucket: fx.bucket, Key: 'raw/ds-basic/image.ome.zarr/0/0.0.0' }),
    );
    expect(head.ETag).toMatch(/-3"$/); // 12 MiB + 12 kB in 5 MiB parts
    expect(head.Metadata?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const logs = lines.join('\n');
    expect(logs).toContain('verified on "ceph"');
    expect(logs).not.toContain(fx.rgw.secretAccessKey);
  });

  it('verifies objects already on the gateway instead of re-sending them (journal lost)', async () => {
    const dir = await makeDataset(fx.tmp, 'ds-again', typicalFiles(11));
    const first = await openQueue('again-1', s3Config());
    const s1 = await runToEnd(first.queue, await first.queue.enqueue(dir, 'ceph'));
    await first.queue.close();
    expect(s1.state, s1.reason).toBe('done');
    // Another object under one key (as if a different file had been sent there).
    await fx.rgw.client.send(
      new PutObjectCommand({
        Bucket: fx.bucket,
        Key: 'raw/ds-again/image.ome.zarr/0/2.0.0',
        Body: Buffer.alloc(3 * MIB + 7, 1),
      }),
    );
    const sent: string[] = [];
    const second = await openQueue('again-2', s3Config(), {
      observer: { sending: (rel, n) => sent.push(`${rel}#${n}`) },
    });
    const s2 = await runToEnd(second.queue, await second.queue.enqueue(dir, 'ceph'));
    await second.queue.close();
    expect(s2.state, s2.reason).toBe('done');
    expect(sent.sort()).toEqual(['image.ome.zarr/0/2.0.0#0', 'manifest.sha256#0']);
    await expectRemoteMatchesLocal(dir, 'raw/ds-again/');
  });

  it('names the target and hides the secret when the credentials are wrong', async () => {
    const dir = await makeDataset(fx.tmp, 'ds-creds', [{ rel: 'a.bin', sizeBytes: 1000 }]);
    const secret = 'Wr0ngSecretValueThatMustNeverLeak1234567';
    const { queue, lines } = await openQueue(
      'creds',
      s3Config(),
      {},
      { AQ_TEST_KEY: fx.rgw.accessKeyId, AQ_TEST_SECRET: secret },
    );
    const id = await queue.enqueue(dir, 'ceph');
    const s = await runToEnd(queue, id);
    await queue.close();
    expect(s.state).toBe('failed');
    expect(s.reason).toMatch(/upload target "ceph".*check the credentials/);
    const everything =
      JSON.stringify(queue.snapshot()) +
      lines.join('\n') +
      (await readFile(path.join(fx.tmp, 'journal-creds', 'upload-journal.jsonl'), 'utf8'));
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(fx.rgw.secretAccessKey);
  });

  it('fails clearly on an unknown access key and on a missing bucket', async () => {
    const dir = await makeDataset(fx.tmp, 'ds-nobucket', [{ rel: 'a.bin', sizeBytes: 1000 }]);
    const q1 = await openQueue(
      'nokey',
      s3Config(),
      {},
      { AQ_TEST_KEY: 'AKNOTAKEY0000000000X', AQ_TEST_SECRET: 'x'.repeat(40) },
    );
    const s1 = await runToEnd(q1.queue, await q1.queue.enqueue(dir, 'ceph'));
    await q1.queue.close();
    expect(s1.state).toBe('failed');
    expect(s1.reason).toMatch(/upload target "ceph".*(access key is not known|access denied)/);
    expect(s1.reason).not.toContain('x'.repeat(40));
    const q2 = await openQueue('nobucket', s3Config({ bucket: 'aq-no-such-bucket' }));
    const s2 = await runToEnd(q2.queue, await q2.queue.enqueue(dir, 'ceph'));
    await q2.queue.close();
    expect(s2.state).toBe('failed');
    expect(s2.reason).toMatch(
      /upload target "ceph" \(bucket "aq-no-such-bucket".*bucket does not exist/,
    );
    const q3 = await openQueue('noenv', s3Config(), {}, {});
    const s3 = await runToEnd(q3.queue, await q3.queue.enqueue(dir, 'ceph'));
    await q3.queue.close();
    expect(s3.reason).toMatch(/upload target "ceph": environment variable AQ_TEST_KEY/);
  });

  it('detects corrupted parts (Content-MD5 and ETag) and re-sends them', async () => {
    const dir = await makeDataset(fx.tmp, 'ds-corrupt', [
      { rel: 'big.bin', sizeBytes: 16 * MIB },
      { rel: 'small.bin', sizeBytes: 3000 },
    ]);
    const corrupted: string[] = [];
    const flip = (body: unknown): Buffer => {
      const bad = Buffer.from((body as PartBody).bytes);
      bad[1000] = (bad[1000] ?? 0) ^ 0xff;
      return bad;
    };
    type Req = { headers: Record<string, string>; body: unknown; query?: Record<string, string> };
    const once = (ctx: { commandName?: string }, req: Req, part: string): boolean => {
      const hit =
        ctx.commandName === 'UploadPartCommand' &&
        req.query?.partNumber === part &&
        !corrupted.includes(part);
      if (hit) corrupted.push(part);
      return hit;
    };
    // Part 2: a byte flipped after signing, as if in transit (the gateway refuses it).
    const inTransit: Middleware = (next, ctx) => async (args) => {
      const req = args.request as Req;
      if (once(ctx, req, '2')) req.body = flip(req.body);
      return next(args);
    };
    // Part 3: flipped before Content-MD5 and signing are checked (a proxy that strips
    // Content-MD5): the gateway stores it, our ETag comparison must catch it.
    const beforeSigning: Middleware = (next, ctx) => async (args) => {
      const req = args.request as Req;
      if (once(ctx, req, '3')) {
        req.body = flip(req.body);
        delete req.headers['content-md5'];
      }
      return next(args);
    };
    const sent: string[] = [];
    const { queue } = await openQueue('corrupt', s3Config(), {
      configureS3Client: (c) => {
        c.middlewareStack.addRelativeTo(inTransit, {
          relation: 'after',
          toMiddleware: 'httpSigningMiddleware',
          name: 'corruptInTransit',
        });
        c.middlewareStack.addRelativeTo(beforeSigning, {
          relation: 'before',
          toMiddleware: 'httpSigningMiddleware',
          name: 'corruptBeforeSigning',
        });
      },
      observer: { sending: (rel, n) => sent.push(`${rel}#${n}`) },
    });
    const s = await runToEnd(queue, await queue.enqueue(dir, 'ceph'));
    await queue.close();
    expect(corrupted.sort()).toEqual(['2', '3']);
    expect(s.state, s.reason).toBe('done');
    expect(sent.filter((x) => x === 'big.bin#2')).toHaveLength(2);
    expect(sent.filter((x) => x === 'big.bin#3')).toHaveLength(2);
    expect(sent.filter((x) => x === 'big.bin#1')).toHaveLength(1);
    await expectRemoteMatchesLocal(dir, 'raw/ds-corrupt/');
  });

  it('aborts multipart uploads the journal does not know (left by an earlier crash)', async () => {
    const dir = await makeDataset(fx.tmp, 'ds-stale', [{ rel: 'big.bin', sizeBytes: 11 * MIB }]);
    const key = 'raw/ds-stale/big.bin';
    const data = await readFile(path.join(dir, 'big.bin'));
    const older = await fx.rgw.client.send(
      new CreateMultipartUploadCommand({ Bucket: fx.bucket, Key: key }),
    );
    await new Promise((r) => setTimeout(r, 1100));
    const newer = await fx.rgw.client.send(
      new CreateMultipartUploadCommand({ Bucket: fx.bucket, Key: key }),
    );
    await fx.rgw.client.send(
      new UploadPartCommand({
        Bucket: fx.bucket,
        Key: key,
        UploadId: newer.UploadId,
        PartNumber: 1,
        Body: data.subarray(0, 5 * MIB),
      }),
    );
    const sent: string[] = [];
    const { queue, lines } = await openQueue('stale', s3Config(), {
      observer: { sending: (rel, n) => sent.push(`${rel}#${n}`) },
    });
    const s = await runToEnd(queue, await queue.enqueue(dir, 'ceph'));
    await queue.close();
    expect(lines.join('\n')).not.toContain('failed');
    expect(s.state, s.reason).toBe('done');
    expect(sent.sort()).toEqual(['big.bin#1', 'big.bin#2', 'big.bin#3', 'manifest.sha256#0']);
    const left = await fx.rgw.client.send(
      new ListMultipartUploadsCommand({ Bucket: fx.bucket, Prefix: 'raw/ds-stale/' }),
    );
    expect(left.Uploads ?? []).toHaveLength(0);
    await expectRemoteMatchesLocal(dir, 'raw/ds-stale/');
    for (const u of [older, newer])
      await expect(
        fx.rgw.client.send(
          new AbortMultipartUploadCommand({ Bucket: fx.bucket, Key: key, UploadId: u.UploadId }),
        ),
      ).rejects.toThrow();
  });

  it('resumes after the part size changed (e.g. a new default): a new multipart upload, the old one aborted', async () => {
    const dir = await makeDataset(fx.tmp, 'ds-resize', [{ rel: 'big.bin', sizeBytes: 16 * MIB }]);
    const prefix = 'raw/ds-resize/';
    const listUploads = async () =>
      (
        await fx.rgw.client.send(
          new ListMultipartUploadsCommand({ Bucket: fx.bucket, Prefix: prefix }),
        )
      ).Uploads ?? [];
    const first = await openQueue('resize', { ...s3Config(), bandwidthLimitMBps: 4 });
    const id = await first.queue.enqueue(dir, 'ceph');
    first.queue.start();
    for (let i = 0; i < 400 && (first.queue.snapshot()[0]?.bytesDone ?? 0) === 0; i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(first.queue.snapshot()[0]?.bytesDone).toBeGreaterThan(0);
    await first.queue.pause(id);
    await first.queue.close();
    const old = await listUploads();
    expect(old).toHaveLength(1); // 5 MiB parts, some on the gateway

    const sent: string[] = [];
    const second = await openQueue('resize', s3Config({ partSizeMiB: 6 }), {
      observer: { sending: (rel, n) => sent.push(`${rel}#${n}`) },
    });
    await second.queue.resume(id);
    const s = await runToEnd(second.queue, id);
    await second.queue.close();
    expect(s.state, s.reason).toBe('done');
    expect(sent.sort()).toEqual(['big.bin#1', 'big.bin#2', 'big.bin#3', 'manifest.sha256#0']);
    const head = await fx.rgw.client.send(
      new HeadObjectCommand({ Bucket: fx.bucket, Key: `${prefix}big.bin` }),
    );
    expect(head.ETag).toMatch(/-3"$/); // 16 MiB in 6 MiB parts
    expect(await listUploads()).toHaveLength(0); // the 5 MiB upload was aborted
    await expectRemoteMatchesLocal(dir, prefix);
  });

  it('cancel aborts the multipart uploads in progress and leaves no manifest', async () => {
    const dir = await makeDataset(fx.tmp, 'ds-cancel', [{ rel: 'big.bin', sizeBytes: 20 * MIB }]);
    const { queue } = await openQueue('cancel', { ...s3Config(), bandwidthLimitMBps: 4 });
    const id = await queue.enqueue(dir, 'ceph');
    queue.start();
    for (let i = 0; i < 400 && (queue.snapshot()[0]?.bytesDone ?? 0) === 0; i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(queue.snapshot()[0]?.bytesDone).toBeGreaterThan(0);
    const during = await fx.rgw.client.send(
      new ListMultipartUploadsCommand({ Bucket: fx.bucket, Prefix: 'raw/ds-cancel/' }),
    );
    expect(during.Uploads ?? []).toHaveLength(1);
    await queue.cancel(id);
    await queue.whenIdle();
    await queue.close();
    expect(queue.snapshot()[0]?.state).toBe('cancelled');
    const after = await fx.rgw.client.send(
      new ListMultipartUploadsCommand({ Bucket: fx.bucket, Prefix: 'raw/ds-cancel/' }),
    );
    expect(after.Uploads ?? []).toHaveLength(0);
    await expect(
      fx.rgw.client.send(
        new HeadObjectCommand({ Bucket: fx.bucket, Key: 'raw/ds-cancel/manifest.sha256' }),
      ),
    ).rejects.toThrow();
  });
});
