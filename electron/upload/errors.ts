/**
 * Upload failures. `transient` errors (network, gateway 5xx, timeouts) are retried by the
 * queue with bounded backoff; permanent ones (credentials, missing bucket, a local file that
 * no longer matches its manifest) fail the dataset at once with the message shown to the user.
 * Messages name the target and never contain credentials (see `redact`).
 */
import { AquilaError, ValidationError } from '../../drivers/errors';

export class UploadError extends AquilaError {
  readonly transient: boolean;

  constructor(message: string, transient: boolean, details?: Record<string, unknown>) {
    super('E_UPLOAD', message, { ...details, transient });
    this.transient = transient;
  }
}

/** Replaces every occurrence of each secret (length ≥ 4) in `text` with `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const permanentS3Names: Record<string, string> = {
  InvalidAccessKeyId: 'the access key is not known to the gateway (check the credentials)',
  SignatureDoesNotMatch: 'the secret key is wrong (signature mismatch; check the credentials)',
  AccessDenied: 'access denied (check the credentials and the bucket policy)',
  Forbidden: 'access denied (check the credentials and the bucket policy)',
  NoSuchBucket: 'the bucket does not exist (create it or fix `bucket` in the config)',
  InvalidBucketName: 'the bucket name is invalid',
  EntityTooLarge: 'the object is larger than the gateway accepts',
};

/** Plain words for the network failures Node and the SDK report by code or error name. */
const networkWords: Record<string, string> = {
  EPIPE: 'the gateway closed the connection while a request was being sent',
  ECONNRESET: 'the connection to the gateway was reset',
  ECONNREFUSED: 'the gateway refused the connection (is it running, and is `endpoint` right?)',
  ECONNABORTED: 'the connection to the gateway was aborted',
  ETIMEDOUT: 'the connection to the gateway timed out',
  EHOSTUNREACH: 'the gateway host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ENETDOWN: 'the network is down',
  ENOTFOUND: 'the gateway host name does not resolve (check `endpoint` and DNS)',
  EAI_AGAIN: 'the gateway host name could not be resolved right now (DNS)',
  TimeoutError: 'the connection to the gateway timed out (no bytes moved)',
  RequestTimeout: 'the gateway timed out waiting for the request',
};

/**
 * Turns anything thrown by the S3 SDK or Node into an UploadError naming `where`
 * (e.g. `upload target "ceph" (bucket "raw")`), classified transient or permanent.
 */
export function classifyError(
  err: unknown,
  where: string,
  secrets: readonly string[],
): UploadError {
  if (err instanceof UploadError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkLikeError;
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  const raw = e.message ?? String(err);
  let reason = permanentS3Names[name];
  if (!reason && status === 403) reason = permanentS3Names.AccessDenied;
  if (!reason && status === 404 && name === 'NotFound') reason = permanentS3Names.NoSuchBucket;
  if (reason)
    return new UploadError(redact(`${where}: ${reason}`, secrets), false, { s3Error: name });
  const words = (e.code && networkWords[e.code]) ?? networkWords[name];
  if (words) {
    // The raw code stays in brackets for whoever searches logs for it.
    const code = [e.code, name].find((x) => x && networkWords[x]) as string;
    return new UploadError(redact(`${where}: ${words} [${code}]`, secrets), true, {
      s3Error: code,
    });
  }
  const detail = [name, e.code].filter((x) => x && x !== 'Error').join(' ');
  const message = `${where}: ${detail ? `${detail}: ` : ''}${raw}${status ? ` (HTTP ${status})` : ''}`;
  return new UploadError(redact(message, secrets), true, { s3Error: name || e.code });
}

/** Anything thrown during an attempt as an UploadError; local I/O errors count as transient. */
export function asUploadError(err: unknown, where: string): UploadError {
  if (err instanceof UploadError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new UploadError(`${where}: ${message}`, !(err instanceof ValidationError));
}
