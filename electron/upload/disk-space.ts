/** Free space on the acquisition disk, for the host's "disk nearly full" warning. */
import { statfs } from 'node:fs/promises';

export interface DiskSpace {
  path: string;
  freeBytes: number;
  totalBytes: number;
  /** Below `minFreeGiB` or below `minFreeFraction` of the disk. */
  nearlyFull: boolean;
}

export async function checkDiskSpace(
  dir: string,
  policy: { minFreeGiB: number; minFreeFraction: number },
): Promise<DiskSpace> {
  const s = await statfs(dir);
  const freeBytes = s.bavail * s.bsize;
  const totalBytes = s.blocks * s.bsize;
  const nearlyFull =
    freeBytes < policy.minFreeGiB * 1024 ** 3 || freeBytes < policy.minFreeFraction * totalBytes;
  return { path: dir, freeBytes, totalBytes, nearlyFull };
}
