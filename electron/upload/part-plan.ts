/**
 * S3 multipart arithmetic. Limits (AWS S3 "Amazon S3 multipart upload limits", also enforced
 * by Ceph RGW): parts of 5 MiB–5 GiB except the last, at most 10,000 parts, objects ≤ 5 TiB.
 */
import { createHash } from 'node:crypto';
import { UploadError } from './errors';

export const MIB = 1024 * 1024;
export const MIN_PART_BYTES = 5 * MIB;
export const MAX_PART_BYTES = 5 * 1024 * MIB;
export const MAX_PARTS = 10_000;
export const MAX_OBJECT_BYTES = 5 * 1024 * 1024 * MIB;

/** Part size for a file: the preferred size, raised (in whole MiB) until ≤ 10,000 parts. */
export function choosePartSize(fileBytes: number, preferredBytes: number): number {
  if (fileBytes > MAX_OBJECT_BYTES)
    throw new UploadError(`file of ${fileBytes} bytes exceeds the S3 object limit of 5 TiB`, false);
  const needed = Math.ceil(Math.ceil(fileBytes / MAX_PARTS) / MIB) * MIB;
  return Math.min(MAX_PART_BYTES, Math.max(MIN_PART_BYTES, preferredBytes, needed));
}

export function partCount(fileBytes: number, partBytes: number): number {
  return Math.max(1, Math.ceil(fileBytes / partBytes));
}

/** ETag S3/RGW report for a completed multipart upload: md5(concat(md5(part_i))) + "-N". */
export function multipartEtag(partMd5Hex: readonly string[]): string {
  const h = createHash('md5');
  for (const m of partMd5Hex) h.update(Buffer.from(m, 'hex'));
  return `${h.digest('hex')}-${partMd5Hex.length}`;
}

export function md5(buf: Buffer): { hex: string; base64: string } {
  const d = createHash('md5').update(buf).digest();
  return { hex: d.toString('hex'), base64: d.toString('base64') };
}

/** Strips the quotes S3 puts around ETags. */
export function bareEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^"|"$/g, '');
}
