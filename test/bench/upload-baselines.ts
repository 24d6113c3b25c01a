/**
 * The raw baselines of bench:upload: the fastest plain S3 uploads of the same bytes —
 * parallel multipart and whole-file PutObject, with no checksums, hashing or journal.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';

export const MIB = 1024 * 1024;

export interface Gw {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  bucket: string;
}
export interface Job {
  mode: 'aquila' | 'multipart' | 'put';
  gw: Gw;
  dataset: string;
  files: string[];
  concurrency: number;
  /** Multipart part size, MiB (Aquila's preferred size and the raw multipart's). */
  partMiB: number;
  journalDir?: string;
  trace?: string;
}

/** Fastest raw client: no checksums, and the payload is not hashed for the signature either. */
export function client(gw: Gw, maxSockets: number): S3Client {
  const c = new S3Client({
    endpoint: gw.endpoint,
    region: gw.region,
    forcePathStyle: true,
    credentials: { accessKeyId: gw.accessKeyId, secretAccessKey: gw.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { httpAgent: { keepAlive: true, maxSockets } },
  });
  c.middlewareStack.add(
    (next) => async (args) => {
      const req = args.request as { headers?: Record<string, string> };
      if (req.headers) req.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
      return next(args);
    },
    { step: 'build', name: 'benchUnsignedPayload' },
  );
  return c;
}

/** Raw multipart of every file: parts read and sent `concurrency` at a time, nothing else. */
export async function rawMultipart(job: Job, c: S3Client): Promise<void> {
  const queue: { key: string; file: string; n: number; offset: number; len: number; id: string }[] =
    [];
  const ids = new Map<string, { id: string; parts: number }>();
  for (const rel of job.files) {
    const file = path.join(job.dataset, rel);
    const key = `raw/${rel}`;
    const size = (await open(file, 'r').then(async (fh) => {
      const s = await fh.stat();
      await fh.close();
      return s.size;
    })) as number;
    const r = await c.send(new CreateMultipartUploadCommand({ Bucket: job.gw.bucket, Key: key }));
    const partBytes = job.partMiB * MIB;
    const parts = Math.ceil(size / partBytes);
    ids.set(key, { id: r.UploadId as string, parts });
    for (let n = 1; n <= parts; n++) {
      const offset = (n - 1) * partBytes;
      queue.push({
        key,
        file,
        n,
        offset,
        len: Math.min(partBytes, size - offset),
        id: r.UploadId as string,
      });
    }
  }
  const etags = new Map<string, string[]>();
  let next = 0;
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (next < queue.length) {
        const p = queue[next++];
        if (!p) break;
        const fh = await open(p.file, 'r');
        const buf = Buffer.allocUnsafe(p.len);
        await fh.read(buf, 0, p.len, p.offset);
        await fh.close();
        const r = await c.send(
          new UploadPartCommand({
            Bucket: job.gw.bucket,
            Key: p.key,
            UploadId: p.id,
            PartNumber: p.n,
            Body: buf,
          }),
        );
        const list = etags.get(p.key) ?? [];
        list[p.n - 1] = r.ETag as string;
        etags.set(p.key, list);
      }
    }),
  );
  for (const [key, { id }] of ids)
    await c.send(
      new CompleteMultipartUploadCommand({
        Bucket: job.gw.bucket,
        Key: key,
        UploadId: id,
        MultipartUpload: {
          Parts: (etags.get(key) ?? []).map((e, i) => ({ ETag: e, PartNumber: i + 1 })),
        },
      }),
    );
}

/** Raw PutObject of whole files, streamed from disk, `concurrency` files at a time. */
export async function rawPut(job: Job, c: S3Client): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (next < job.files.length) {
        const rel = job.files[next++] as string;
        const file = path.join(job.dataset, rel);
        const fh = await open(file, 'r');
        const size = (await fh.stat()).size;
        await fh.close();
        await c.send(
          new PutObjectCommand({
            Bucket: job.gw.bucket,
            Key: `put/${rel}`,
            Body: createReadStream(file, { highWaterMark: MIB }),
            ContentLength: size,
          }),
        );
      }
    }),
  );
}
