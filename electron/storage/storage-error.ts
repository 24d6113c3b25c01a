/** Errors of the dataset writers, with the cause (disk full, permission) named in plain words. */
import { AquilaError } from '../../drivers/errors';

/** Writing or finalising a dataset failed; `details.errno` holds the OS code (ENOSPC, EACCES…). */
export class StorageError extends AquilaError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_STORAGE', message, details);
  }
}

const causes: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  EIO: 'an I/O error occurred (failing disk or lost network mount?)',
  EEXIST: 'it already exists',
  ENOENT: 'a folder on the path does not exist',
};

export function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Wraps an fs error as `<action> <path>: <cause>. <advice>` keeping the errno. */
export function storageError(
  err: unknown,
  action: string,
  file: string,
  advice = '',
): StorageError {
  if (err instanceof StorageError) return err;
  const errno = errnoOf(err);
  const cause = (errno && causes[errno]) ?? (err instanceof Error ? err.message : String(err));
  const tail = advice ? ` ${advice}` : '';
  return new StorageError(`${action} ${file}: ${cause}.${tail}`, { errno: errno ?? null, file });
}

export function isDiskFull(err: unknown): boolean {
  const errno = errnoOf(err) ?? (err instanceof AquilaError ? err.details?.errno : undefined);
  return errno === 'ENOSPC' || errno === 'EDQUOT';
}
