/**
 * Reads a dataset's `manifest.sha256` (sha256sum format: `<64 hex>  <relative posix path>`,
 * one line per file, excluding itself; written last by the dataset writer, so its presence
 * means the dataset is complete) and stats each listed file.
 */
import { createReadStream } from 'node:fs';
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { UploadError } from './errors';

export const MANIFEST_NAME = 'manifest.sha256';

export interface ManifestEntry {
  /** Relative posix path inside the dataset folder. */
  rel: string;
  sha256: string;
  sizeBytes: number;
}

export interface DatasetManifest {
  datasetDir: string;
  /** Folder name; the remote copy lands under this name. */
  name: string;
  files: ManifestEntry[];
  manifestBytes: Buffer;
  totalBytes: number;
}

const line = /^([0-9a-f]{64}) [ *](.+)$/;

export function parseManifest(text: string, where: string): { rel: string; sha256: string }[] {
  const out: { rel: string; sha256: string }[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((raw, i) => {
    if (raw === '') return;
    const m = line.exec(raw);
    const rel = m?.[2];
    const bad = (why: string) => new UploadError(`${where} line ${i + 1}: ${why}`, false);
    if (!m || !m[1] || !rel) throw bad('expected "<64 lowercase hex>  <relative path>"');
    if (
      rel.startsWith('/') ||
      rel.includes('\\') ||
      rel.split('/').some((p) => p === '..' || p === '.' || p === '')
    )
      throw bad(`"${rel}" is not a plain relative path inside the dataset`);
    if (rel === MANIFEST_NAME) throw bad('the manifest must not list itself');
    if (seen.has(rel)) throw bad(`"${rel}" is listed twice`);
    seen.add(rel);
    out.push({ rel, sha256: m[1] });
  });
  return out;
}

/**
 * Reads and checks a dataset's manifest. Refuses a dataset folder that is itself a symbolic
 * link and any listed file whose real path leaves the dataset folder: an upload never
 * follows a link to data elsewhere.
 */
export async function readDatasetManifest(datasetDir: string): Promise<DatasetManifest> {
  const dir = path.resolve(datasetDir);
  const file = path.join(dir, MANIFEST_NAME);
  const dirStat = await lstat(dir).catch((err: NodeJS.ErrnoException) => err);
  if (dirStat instanceof Error)
    throw new UploadError(
      dirStat.code === 'ENOENT'
        ? `dataset folder ${dir} does not exist`
        : `cannot read dataset folder ${dir} (${dirStat.code})`,
      false,
    );
  if (!dirStat.isDirectory() && !dirStat.isSymbolicLink())
    throw new UploadError(`dataset ${dir} is a file, not a dataset folder`, false);
  if (dirStat.isSymbolicLink())
    throw new UploadError(
      `dataset ${dir} is a symbolic link; upload the folder it points to from inside the datasets folder instead`,
      false,
    );
  const realDir = await realpath(dir).catch(() => dir);
  let manifestBytes: Buffer;
  try {
    manifestBytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'has no manifest.sha256 (not finished writing, or not a dataset)'
        : `cannot read manifest.sha256 (${code})`;
    throw new UploadError(`dataset ${dir} ${why}`, false);
  }
  const files: ManifestEntry[] = [];
  let totalBytes = manifestBytes.length;
  for (const e of parseManifest(manifestBytes.toString('utf8'), file)) {
    let sizeBytes: number;
    try {
      const real = await realpath(path.join(dir, e.rel));
      if (!real.startsWith(realDir + path.sep))
        throw new UploadError(
          `dataset ${dir}: "${e.rel}" is a link to ${real}, outside the dataset folder; refusing to upload it`,
          false,
        );
      sizeBytes = (await stat(real)).size;
    } catch (err) {
      if (err instanceof UploadError) throw err;
      throw new UploadError(
        `dataset ${dir}: "${e.rel}" is listed in manifest.sha256 but cannot be read (${(err as NodeJS.ErrnoException).code})`,
        false,
      );
    }
    files.push({ ...e, sizeBytes });
    totalBytes += sizeBytes;
  }
  return { datasetDir: dir, name: path.basename(dir), files, manifestBytes, totalBytes };
}

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }))
    h.update(chunk as Buffer);
  return h.digest('hex');
}
