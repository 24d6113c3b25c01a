/**
 * Single S3 requests of an upload, each checked: UploadPart and PutObject carry Content-MD5 and
 * are re-sent (at most PART_SENDS times) when the gateway reports a digest mismatch or stores
 * an ETag other than the MD5 of what was read; every object is verified with HeadObject.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { UploadError } from './errors';
import type { ManifestEntry } from './manifest';
import { bareEtag, md5 } from './part-plan';
import type { S3Ops } from './s3-client';
import type { UploadAttempt, UploadObserver } from './target';
import type { PartBuffers } from './part-buffers';
import { PartBody, Wire } from './wire';

/** Re-sends of one part after a digest/ETag mismatch before the attempt fails. */
const PART_SENDS = 3;
/** Attempts of one request on transient failures (network, 5xx) before the attempt fails. */
const SEND_ATTEMPTS = 2;
/** The bytes that arrived do not match Content-MD5 / the signed payload hash. */
const CORRUPTED_IN_TRANSIT = ['BadDigest', 'XAmzContentSHA256Mismatch', 'InvalidDigest'];

export class S3Objects {
  private readonly wire = new Wire();

  constructor(
    private readonly ops: S3Ops,
    private readonly observer: UploadObserver,
  ) {}

  private get bucket(): string {
    return this.ops.cfg.bucket;
  }

  async sendPart(
    rel: string,
    key: string,
    uploadId: string,
    n: number,
    buf: Buffer,
    digest: { hex: string; base64: string },
    a: UploadAttempt,
    signal: AbortSignal,
  ): Promise<void> {
    for (let send = 1; ; send++) {
      await a.net.take(buf.length, signal);
      let etag: string;
      try {
        const r = await this.sendBody(`UploadPart ${key} #${n}`, rel, n, buf, signal, (body, o) =>
          this.ops.client.send(
            new UploadPartCommand({
              Bucket: this.bucket,
              Key: key,
              UploadId: uploadId,
              PartNumber: n,
              Body: body,
              ContentMD5: digest.base64,
              ContentLength: buf.length,
            }),
            o,
          ),
        );
        etag = bareEtag(r.ETag);
      } catch (err) {
        if (
          CORRUPTED_IN_TRANSIT.includes(String((err as UploadError).details?.s3Error)) &&
          send < PART_SENDS
        )
          continue;
        throw err;
      }
      if (etag === digest.hex) break;
      if (send >= PART_SENDS)
        throw new UploadError(
          `${this.ops.where}: part ${n} of ${key} was stored with ETag ${etag}, expected ${digest.hex}, ${send} times`,
          true,
        );
    }
    await a.record({ t: 'part', id: a.job.id, rel, n, md5: digest.hex });
    a.progress(buf.length);
  }

  async putSmall(
    f: ManifestEntry,
    key: string,
    buf: Buffer,
    a: UploadAttempt,
    signal: AbortSignal,
    digest = md5(buf),
  ): Promise<void> {
    for (let send = 1; ; send++) {
      await a.net.take(buf.length, signal);
      try {
        await this.sendBody(`PutObject ${key}`, f.rel, 0, buf, signal, (body, o) =>
          this.ops.client.send(
            new PutObjectCommand({
              Bucket: this.bucket,
              Key: key,
              Body: body,
              ContentMD5: digest.base64,
              ContentLength: buf.length,
              Metadata: { sha256: f.sha256 },
            }),
            o,
          ),
        );
        await this.verify(f, key, digest.hex, signal);
        break;
      } catch (err) {
        if (
          send < PART_SENDS &&
          [...CORRUPTED_IN_TRANSIT, 'VerifyMismatch'].includes(
            String((err as UploadError).details?.s3Error),
          )
        )
          continue;
        throw err;
      }
    }
    await a.record({ t: 'file', id: a.job.id, rel: f.rel });
    a.progress(buf.length);
  }

  /** One request carrying `buf`, started when the wire is ours (see wire.ts); retried once. */
  private async sendBody<T>(
    what: string,
    rel: string,
    n: number,
    buf: Buffer,
    signal: AbortSignal,
    send: (body: Readable, opts: { abortSignal?: AbortSignal }) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const release = await this.wire.turn(signal);
      try {
        this.observer.sending?.(rel, n, buf.length);
        return await this.ops.call(what, signal, (o) => send(new PartBody(buf, release), o));
      } catch (err) {
        // The SDK does not retry streamed bodies; one retry here, as it gives other requests,
        // smooths over a dropped keep-alive connection before the queue's backoff.
        // A corrupted body is the callers' business (bounded by PART_SENDS).
        const e = err as UploadError;
        if (
          attempt >= SEND_ATTEMPTS ||
          !e.transient ||
          signal.aborted ||
          CORRUPTED_IN_TRANSIT.includes(String(e.details?.s3Error))
        )
          throw err;
      } finally {
        release();
      }
    }
  }

  /** `checkSha` false: an object whose upload began before its hash was known (no metadata). */
  async verify(
    f: ManifestEntry,
    key: string,
    etag: string,
    signal: AbortSignal,
    checkSha = true,
  ): Promise<void> {
    const r = await this.ops.head(key, signal);
    const got = r
      ? `ETag ${r.etag}, ${r.sizeBytes} bytes, sha256 ${r.sha256 ?? 'none'}`
      : 'no object';
    if (!r || r.etag !== etag || r.sizeBytes !== f.sizeBytes || (checkSha && r.sha256 !== f.sha256))
      throw new UploadError(
        `${this.ops.where}: verification of ${key} failed: expected ETag ${etag}, ${f.sizeBytes} bytes, sha256 ${f.sha256}; found ${got}`,
        true,
        {
          s3Error: 'VerifyMismatch',
        },
      );
  }
}

/** Reads `length` bytes at `offset`, after the disk-share limit allows it. */
export async function readPart(
  fh: FileHandle,
  offset: number,
  length: number,
  a: UploadAttempt,
  signal: AbortSignal,
  buffers?: PartBuffers,
): Promise<Buffer> {
  await a.disk.take(length, signal);
  const buf = buffers ? buffers.take(length) : Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, offset + got);
    if (bytesRead === 0)
      throw new UploadError(
        `local file shrank while uploading (read ${got} of ${length} bytes at ${offset})`,
        false,
      );
    got += bytesRead;
  }
  return buf;
}

/** sha256 of the whole file and MD5 of each `partBytes` slice (one slice for a PutObject). */
export async function hashFile(
  fh: FileHandle,
  sizeBytes: number,
  partBytes: number,
  a: UploadAttempt,
  signal: AbortSignal,
): Promise<{ sha256: string; md5s: string[] }> {
  const sha = createHash('sha256');
  const md5s: string[] = [];
  for (let off = 0; off < sizeBytes || md5s.length === 0; off += partBytes) {
    const buf = await readPart(fh, off, Math.min(partBytes, sizeBytes - off), a, signal);
    sha.update(buf);
    md5s.push(md5(buf).hex);
  }
  return { sha256: sha.digest('hex'), md5s: md5s as [string, ...string[]] };
}
