/**
 * The S3 client for one target, configured for Ceph RGW (Pacific and later): path-style
 * addressing, and checksums only when an operation requires them — recent SDKs otherwise
 * add CRC32 trailers (aws-chunked encoding) that Pacific rejects. Every call goes through
 * `call`, which turns failures into UploadErrors naming the target, with secrets redacted.
 */
import {
  S3Client,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  type S3ClientConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-s3';
import type { BuildMiddleware } from '@smithy/types';
import type { S3TargetConfig } from './config';
import { classifyError, UploadError } from './errors';

/**
 * Requests that carry Content-MD5 (UploadPart, PutObject) are signed with
 * `x-amz-content-sha256: UNSIGNED-PAYLOAD` (SigV4, AWS "Signature Calculations for the
 * Authorization Header", supported by RGW): the gateway checks the body against Content-MD5
 * and we compare ETags, so hashing every byte a third time for the signature buys nothing
 * and costs CPU the 2-core acquisition PCs do not have. The signer keeps a preset header.
 */
const unsignedPayload: BuildMiddleware<ServiceInputTypes, ServiceOutputTypes> =
  (next) => async (args) => {
    const req = args.request as { headers?: Record<string, string> };
    if (req.headers && 'content-md5' in lowerKeys(req.headers))
      req.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    return next(args);
  };

function lowerKeys(h: Record<string, string>): Record<string, true> {
  const out: Record<string, true> = {};
  for (const k of Object.keys(h)) out[k.toLowerCase()] = true;
  return out;
}

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Reads the target's credentials from the environment or the config; never logs them. */
export function resolveS3Credentials(
  cfg: S3TargetConfig,
  env: NodeJS.ProcessEnv = process.env,
): S3Credentials {
  const c = cfg.credentials;
  if ('accessKeyId' in c) return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey };
  const accessKeyId = env[c.accessKeyIdEnv];
  const secretAccessKey = env[c.secretAccessKeyEnv];
  for (const [name, v] of [
    [c.accessKeyIdEnv, accessKeyId],
    [c.secretAccessKeyEnv, secretAccessKey],
  ] as const)
    if (!v)
      throw new UploadError(
        `upload target "${cfg.name}": environment variable ${name} (credentials) is not set`,
        false,
      );
  return { accessKeyId: accessKeyId as string, secretAccessKey: secretAccessKey as string };
}

export interface RemoteObject {
  etag: string;
  sizeBytes: number;
  sha256: string | undefined;
}

export interface StaleUpload {
  key: string;
  uploadId: string;
  initiatedMs: number;
}

export class S3Ops {
  readonly client: S3Client;
  readonly where: string;
  private readonly secrets: string[];

  constructor(
    readonly cfg: S3TargetConfig,
    creds: S3Credentials,
    maxSockets: number,
  ) {
    this.where = `upload target "${cfg.name}" (bucket "${cfg.bucket}" at ${cfg.endpoint})`;
    this.secrets = [creds.secretAccessKey, creds.accessKeyId];
    const config: S3ClientConfig = {
      endpoint: cfg.endpoint,
      region: cfg.region,
      forcePathStyle: cfg.pathStyle,
      credentials: creds,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // No `Expect: 100-continue`: bodies go one at a time (wire.ts), and waiting a round trip
      // through the gateway's authentication before each body would leave the wire idle.
      // A refused request (bad credentials, missing bucket) wastes one part's bytes instead.
      expectContinueHeader: false,
      // The queue retries whole attempts with its own bounded backoff; one SDK retry of
      // requests without a body smooths over a dropped keep-alive connection (requests with
      // a body are retried once by S3Objects, as the SDK does not retry streamed bodies).
      maxAttempts: 2,
      // Silent, like the default logger, minus its console warning on each failed request
      // with a streamed body (wire.ts), which S3Objects retries and reports itself.
      logger: {
        debug: () => undefined,
        info: () => undefined,
        warn: () => undefined,
        error: () => undefined,
      },
      requestHandler: {
        connectionTimeout: 5_000,
        // Idle time on the socket, not total time: a large part on a slow link is fine as
        // long as bytes move. (The SDK's requestTimeout only logs a warning by default.)
        socketTimeout: cfg.stallTimeoutS * 1_000,
        httpAgent: { keepAlive: true, maxSockets },
      },
    };
    // The SDK warns on every start under Node < 22 that its releases after January 2027
    // will need 22. Our SDK version is fixed by the lockfile and the window runs on
    // Electron's newer Node, so the warning only alarms operators of `serve` and the CLI;
    // the Node upgrade is tracked in docs/upload.md. An explicit setting is respected.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.client = new S3Client(config);
    this.client.middlewareStack.add(unsignedPayload, {
      step: 'build',
      name: 'aquilaUnsignedPayload',
    });
  }

  async call<T>(
    what: string,
    signal: AbortSignal | undefined,
    fn: (opts: { abortSignal?: AbortSignal }) => Promise<T>,
  ): Promise<T> {
    signal?.throwIfAborted();
    try {
      return await fn(signal ? { abortSignal: signal } : {});
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw classifyError(err, `${this.where}: ${what}`, this.secrets);
    }
  }

  /** The object's ETag, size and `sha256` metadata, or undefined if there is none. */
  async head(key: string, signal?: AbortSignal): Promise<RemoteObject | undefined> {
    try {
      const r = await this.client.send(
        new HeadObjectCommand({ Bucket: this.cfg.bucket, Key: key }),
        signal ? { abortSignal: signal } : {},
      );
      return {
        etag: (r.ETag ?? '').replace(/^"|"$/g, ''),
        sizeBytes: r.ContentLength ?? -1,
        sha256: r.Metadata?.sha256,
      };
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404) return undefined;
      if (signal?.aborted) throw signal.reason;
      throw classifyError(err, `${this.where}: HeadObject ${key}`, this.secrets);
    }
  }

  /** Keys of the objects under `prefix` (one request per 1,000). */
  async listKeys(prefix: string, signal?: AbortSignal): Promise<Set<string>> {
    const out = new Set<string>();
    let ContinuationToken: string | undefined;
    for (let page = 0; page < 100_000; page++) {
      const r = await this.call('ListObjectsV2', signal, (o) =>
        this.client.send(
          new ListObjectsV2Command({ Bucket: this.cfg.bucket, Prefix: prefix, ContinuationToken }),
          o,
        ),
      );
      for (const c of r.Contents ?? []) if (c.Key) out.add(c.Key);
      if (!r.IsTruncated || !r.NextContinuationToken) break;
      ContinuationToken = r.NextContinuationToken;
    }
    return out;
  }

  /** Multipart uploads in progress under `prefix`, e.g. left by a crash. */
  async listUploads(prefix: string, signal?: AbortSignal): Promise<StaleUpload[]> {
    const out: StaleUpload[] = [];
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    for (let page = 0; page < 1_000; page++) {
      const r = await this.call('ListMultipartUploads', signal, (o) =>
        this.client.send(
          new ListMultipartUploadsCommand({
            Bucket: this.cfg.bucket,
            Prefix: prefix,
            KeyMarker,
            UploadIdMarker,
          }),
          o,
        ),
      );
      for (const u of r.Uploads ?? [])
        if (u.Key && u.UploadId)
          out.push({ key: u.Key, uploadId: u.UploadId, initiatedMs: u.Initiated?.getTime() ?? 0 });
      if (!r.IsTruncated) break;
      KeyMarker = r.NextKeyMarker;
      UploadIdMarker = r.NextUploadIdMarker;
    }
    return out;
  }

  /** Parts the gateway holds for an upload (number → md5 hex and size), or undefined if the upload is gone. */
  async listParts(
    key: string,
    uploadId: string,
    signal?: AbortSignal,
  ): Promise<Map<number, { md5: string; sizeBytes: number }> | undefined> {
    const out = new Map<number, { md5: string; sizeBytes: number }>();
    let PartNumberMarker: string | undefined;
    for (let page = 0; page < 100; page++) {
      let r;
      try {
        r = await this.call('ListParts', signal, (o) =>
          this.client.send(
            new ListPartsCommand({
              Bucket: this.cfg.bucket,
              Key: key,
              UploadId: uploadId,
              PartNumberMarker,
            }),
            o,
          ),
        );
      } catch (err) {
        // Ceph Pacific answers NoSuchKey (404) for an unknown upload id, AWS NoSuchUpload.
        if (['NoSuchUpload', 'NoSuchKey'].includes(String((err as UploadError).details?.s3Error)))
          return undefined;
        throw err;
      }
      for (const p of r.Parts ?? [])
        if (p.PartNumber)
          out.set(p.PartNumber, {
            md5: (p.ETag ?? '').replace(/^"|"$/g, ''),
            sizeBytes: p.Size ?? -1,
          });
      if (!r.IsTruncated) break;
      PartNumberMarker = r.NextPartNumberMarker;
    }
    return out;
  }
}
