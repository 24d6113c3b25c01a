/**
 * Uploads a dataset to an S3 bucket (Ceph RGW): `<prefix><dataset>/<rel>` per manifest entry,
 * resumable multipart for files of at least one part, PutObject below that, `Content-MD5` on
 * every request, every object verified with HeadObject (ETag computed locally, sha256 from the
 * manifest stored as `x-amz-meta-sha256`), the manifest object last. Parts are read
 * sequentially (sha256 of the whole file is checked against the manifest before an upload is
 * completed) and sent `concurrency` at a time; memory ≈ (concurrency + 2) × part size.
 */
import { open } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadBucketCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { S3TargetConfig } from './config';
import type { JobRecord } from './journal';
import { UploadError } from './errors';
import { MANIFEST_NAME, type ManifestEntry } from './manifest';
import { choosePartSize, md5, MIB, multipartEtag, partCount } from './part-plan';
import { Hasher } from './hasher';
import { PartBuffers } from './part-buffers';
import { S3Ops, type S3Credentials } from './s3-client';
import { hashFile, readPart, S3Objects } from './s3-objects';
import { Slots, type UploadAttempt, type UploadObserver, type UploadTarget } from './target';

export interface S3TargetOptions {
  observer?: UploadObserver;
  /** Instrumentation hook (tests, proxies): called once with the SDK client. */
  configureClient?: (client: S3Client) => void;
}

export class S3Target implements UploadTarget {
  readonly kind = 's3' as const;
  readonly name: string;
  private readonly ops: S3Ops;
  private readonly objects: S3Objects;
  private readonly hasher: Hasher;
  private readonly buffers: PartBuffers;
  /** Live jobs whose dataset prefix was listed by this process (see `upload`). */
  private readonly liveChecked = new Set<string>();

  constructor(
    private readonly cfg: S3TargetConfig,
    creds: S3Credentials,
    options: S3TargetOptions = {},
  ) {
    this.name = cfg.name;
    this.ops = new S3Ops(cfg, creds, cfg.concurrency * 2);
    this.objects = new S3Objects(this.ops, options.observer ?? {});
    this.hasher = new Hasher();
    this.buffers = new PartBuffers(cfg.concurrency + 2);
    options.configureClient?.(this.ops.client);
  }

  close(): void {
    this.hasher.close();
    this.ops.client.destroy();
  }

  async discard(job: JobRecord, rels?: readonly string[]): Promise<string[]> {
    const name = path.basename(job.dataset);
    const aborted: string[] = [];
    for (const [rel, m] of job.mpus) {
      if (rels && !rels.includes(rel)) continue;
      const key = `${this.cfg.prefix}${name}/${rel}`;
      await this.ops.call(`AbortMultipartUpload ${key}`, undefined, (o) =>
        this.ops.client.send(
          new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: m.uploadId }),
          o,
        ),
      );
      aborted.push(rel);
    }
    return aborted;
  }

  private get bucket(): string {
    return this.cfg.bucket;
  }

  async upload(a: UploadAttempt): Promise<void> {
    const prefix = `${this.cfg.prefix}${a.manifest.name}/`;
    // A live job's later batches skip the checks its first batch in this process made: no
    // object of theirs can be on the gateway unless this process put it there.
    const checked = a.partial && this.liveChecked.has(a.job.id);
    if (!checked)
      await this.ops.call('HeadBucket', a.signal, (o) =>
        this.ops.client.send(new HeadBucketCommand({ Bucket: this.bucket }), o),
      );
    const stale = a.partial ? [] : await this.ops.listUploads(prefix, a.signal);
    // Objects already there (an earlier attempt, or the same dataset enqueued again): only
    // these are looked at one by one, so a fresh dataset of many small files costs one
    // listing instead of a HeadObject per file before it is sent.
    const present = checked ? new Set<string>() : await this.ops.listKeys(prefix, a.signal);
    if (a.partial) this.liveChecked.add(a.job.id);
    const adopted = new Set<string>();
    const ac = new AbortController();
    const onAbort = () => ac.abort(a.signal.reason);
    a.signal.addEventListener('abort', onAbort, { once: true });
    const slots = new Slots(this.cfg.concurrency, (err) => ac.abort(err));
    const finishers: Promise<void>[] = [];
    try {
      for (const f of a.manifest.files) {
        if (a.job.filesDone.has(f.rel)) {
          a.progress(f.sizeBytes);
          continue;
        }
        const { done: fin } = await this.uploadFile(
          f,
          prefix + f.rel,
          present.has(prefix + f.rel),
          adopted,
          slots,
          a,
          ac.signal,
        );
        finishers.push(fin);
        fin.catch((err: unknown) => ac.abort(err));
      }
      a.phase('verifying');
      await slots.drain();
      await Promise.all(finishers);
    } catch (err) {
      ac.abort(err);
      await Promise.allSettled([slots.drain(), ...finishers]);
      throw ac.signal.reason instanceof UploadError ? ac.signal.reason : err;
    } finally {
      a.signal.removeEventListener('abort', onAbort);
    }
    if (a.partial) return;
    if (!a.job.filesDone.has(MANIFEST_NAME)) {
      const m = a.manifest.manifestBytes;
      const sha256 = createHash('sha256').update(m).digest('hex');
      await this.objects.putSmall(
        { rel: MANIFEST_NAME, sha256, sizeBytes: m.length },
        prefix + MANIFEST_NAME,
        m,
        a,
        a.signal,
      );
    } else a.progress(a.manifest.manifestBytes.length);
    for (const s of stale)
      if (!adopted.has(s.uploadId))
        await this.ops.call(`AbortMultipartUpload ${s.key}`, a.signal, (o) =>
          this.ops.client.send(
            new AbortMultipartUploadCommand({
              Bucket: this.bucket,
              Key: s.key,
              UploadId: s.uploadId,
            }),
            o,
          ),
        );
  }

  /** Reads `f` part by part into `slots`; `done` settles when it is completed and verified. */
  private async uploadFile(
    f: ManifestEntry,
    key: string,
    listed: boolean,
    adopted: Set<string>,
    slots: Slots,
    a: UploadAttempt,
    signal: AbortSignal,
  ): Promise<{ done: Promise<void> }> {
    const file = path.join(a.manifest.datasetDir, f.rel);
    const partBytes = choosePartSize(f.sizeBytes, this.cfg.partSizeMiB * MIB);
    const parts = partCount(f.sizeBytes, partBytes);
    const multipart = f.sizeBytes >= partBytes;
    const remote = listed ? await this.ops.head(key, signal) : undefined;
    const fh = await open(file, 'r');
    try {
      if (remote && remote.sha256 === f.sha256) {
        // Sent before a crash that came before the journal record: verify instead of re-sending.
        const local = await hashFile(
          fh,
          f.sizeBytes,
          multipart ? partBytes : f.sizeBytes,
          a,
          signal,
        );
        const etag = multipart ? multipartEtag(local.md5s) : local.md5s[0];
        // Changed since the manifest was written: refuse now, before sending any of it.
        this.checkSha(f, local.sha256);
        if (etag === remote.etag) {
          await a.record({ t: 'file', id: a.job.id, rel: f.rel });
          a.progress(f.sizeBytes);
          return { done: Promise.resolve() };
        }
      }
      if (!multipart) {
        await slots.acquire();
        let buf: Buffer;
        try {
          buf = await readPart(fh, 0, f.sizeBytes, a, signal, this.buffers);
        } catch (err) {
          slots.release();
          throw err;
        }
        const stream = this.hasher.stream();
        const hashed = this.hasher.part(stream, buf);
        const p = (async () => {
          const h = await hashed;
          this.checkSha(f, await this.hasher.end(stream));
          await this.objects.putSmall(f, key, h.buf, a, signal, {
            hex: h.md5Hex,
            base64: h.md5Base64,
          });
          this.buffers.give(h.buf);
        })();
        slots.spawn(() => p);
        return { done: p };
      }
      const mpu = await this.openMultipart(f, key, partBytes, adopted, a, signal);
      const stream = this.hasher.stream();
      const md5s: string[] = [];
      const sends: Promise<void>[] = [];
      for (let n = 1; n <= parts; n++) {
        await slots.acquire();
        let buf: Buffer;
        try {
          const offset = (n - 1) * partBytes;
          buf = await readPart(
            fh,
            offset,
            Math.min(partBytes, f.sizeBytes - offset),
            a,
            signal,
            this.buffers,
          );
        } catch (err) {
          slots.release();
          throw err;
        }
        const hashed = this.hasher.part(stream, buf);
        const p = (async () => {
          const h = await hashed;
          md5s[n - 1] = h.md5Hex;
          const known = mpu.journaled.get(n) ?? mpu.server.get(n);
          if (known === h.md5Hex) {
            if (!mpu.journaled.has(n))
              await a.record({ t: 'part', id: a.job.id, rel: f.rel, n, md5: h.md5Hex });
            a.progress(h.buf.length);
            this.buffers.give(h.buf);
            return;
          }
          const digest = { hex: h.md5Hex, base64: h.md5Base64 };
          await this.objects.sendPart(f.rel, key, mpu.uploadId, n, h.buf, digest, a, signal);
          this.buffers.give(h.buf);
        })();
        sends.push(p);
        slots.spawn(() => p);
      }
      const sha256 = this.hasher.end(stream);
      const done = (async () => {
        await Promise.all(sends);
        this.checkSha(f, await sha256);
        await this.ops.call(`CompleteMultipartUpload ${key}`, signal, (o) =>
          this.ops.client.send(
            new CompleteMultipartUploadCommand({
              Bucket: this.bucket,
              Key: key,
              UploadId: mpu.uploadId,
              MultipartUpload: {
                Parts: md5s.map((m, i) => ({ PartNumber: i + 1, ETag: `"${m}"` })),
              },
            }),
            o,
          ),
        );
        await this.objects.verify(f, key, multipartEtag(md5s), signal, !mpu.growing);
        await a.record({ t: 'file', id: a.job.id, rel: f.rel });
      })();
      return { done };
    } finally {
      await fh.close();
    }
  }

  /**
   * The journal's upload for `key` if the gateway still has it, else a new one. Uploads on the
   * gateway that the journal does not name are never adopted: parts are only sent after their
   * upload id is journaled, so such an upload holds none of ours (and may lack our metadata);
   * `upload` aborts them once the dataset is done.
   */
  private async openMultipart(
    f: ManifestEntry,
    key: string,
    partBytes: number,
    adopted: Set<string>,
    a: UploadAttempt,
    signal: AbortSignal,
  ): Promise<{
    uploadId: string;
    journaled: Map<number, string>;
    server: Map<number, string>;
    growing?: true;
  }> {
    const rec = a.job.mpus.get(f.rel);
    const listed =
      rec && rec.partBytes === partBytes
        ? await this.ops.listParts(key, rec.uploadId, signal)
        : undefined;
    if (rec && listed) {
      adopted.add(rec.uploadId);
      const server = new Map<number, string>();
      // A part counts only with the size this plan gives it; others are overwritten.
      for (const [n, p] of listed)
        if (p.sizeBytes === Math.min(partBytes, f.sizeBytes - (n - 1) * partBytes))
          server.set(n, p.md5);
      return {
        uploadId: rec.uploadId,
        journaled: new Map(rec.parts),
        server,
        ...(rec.growing ? { growing: true as const } : {}),
      };
    }
    const r = await this.ops.call(`CreateMultipartUpload ${key}`, signal, (o) =>
      this.ops.client.send(
        new CreateMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          Metadata: { sha256: f.sha256 },
        }),
        o,
      ),
    );
    if (!r.UploadId)
      throw new UploadError(
        `${this.ops.where}: CreateMultipartUpload ${key} returned no upload id`,
        true,
      );
    adopted.add(r.UploadId);
    await a.record({ t: 'mpu', id: a.job.id, rel: f.rel, uploadId: r.UploadId, partBytes });
    return { uploadId: r.UploadId, journaled: new Map(), server: new Map() };
  }

  async sendGrowing(a: UploadAttempt, rel: string, finalBytes: number): Promise<void> {
    // The part size the close-time upload will choose (the same below 10,000 parts).
    const partBytes = this.cfg.partSizeMiB * MIB;
    const complete = Math.floor(finalBytes / partBytes);
    if (complete < 2) return;
    const key = `${this.cfg.prefix}${a.manifest.name}/${rel}`;
    let rec = a.job.mpus.get(rel);
    if (rec && rec.partBytes !== partBytes) return; // another plan; the close decides
    if (!rec) {
      const r = await this.ops.call(`CreateMultipartUpload ${key}`, a.signal, (o) =>
        this.ops.client.send(
          new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key }),
          o,
        ),
      );
      if (!r.UploadId)
        throw new UploadError(
          `${this.ops.where}: CreateMultipartUpload ${key} returned no upload id`,
          true,
        );
      await a.record({
        t: 'mpu',
        id: a.job.id,
        rel,
        uploadId: r.UploadId,
        partBytes,
        growing: true,
      });
      rec = a.job.mpus.get(rel);
      if (!rec) return;
    }
    const fh = await open(path.join(a.manifest.datasetDir, rel), 'r');
    try {
      // Part 1 holds the header, rewritten at close: it goes then.
      for (let n = 2; n <= complete; n++) {
        if (rec.parts.has(n)) continue;
        const buf = await readPart(fh, (n - 1) * partBytes, partBytes, a, a.signal, this.buffers);
        const digest = md5(buf);
        await this.objects.sendPart(rel, key, rec.uploadId, n, buf, digest, a, a.signal);
        this.buffers.give(buf);
      }
    } finally {
      await fh.close();
    }
  }

  private checkSha(f: ManifestEntry, sha256: string): void {
    if (sha256 !== f.sha256)
      throw new UploadError(
        `local file ${f.rel} no longer matches manifest.sha256 (sha256 ${sha256}, manifest ${f.sha256}); nothing was completed on ${this.ops.where}`,
        false,
        { localChanged: f.rel },
      );
  }
}
