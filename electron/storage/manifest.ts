/**
 * `manifest.sha256`: one `<64 hex>  <relative posix path>` line per file of the dataset
 * (the `sha256sum` format, so `sha256sum -c manifest.sha256` checks it), sorted by path,
 * excluding itself and the writer lock. Written last, atomically: a dataset folder with a
 * manifest is closed and complete by construction.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Durability, fsyncDirSync, writeFileAtomicSync } from './fs-atomic';
import { datasetFiles } from './layout';

export const lockFileName = 'writer.lock';

/** Relative posix paths of every regular file under `dir`, sorted, minus manifest, lock and analysis record. */
export function listDatasetFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const rel = path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/');
    if (rel === datasetFiles.manifest || rel === lockFileName || rel === datasetFiles.analysis)
      continue;
    out.push(rel);
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function sha256File(file: string): string {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(4 << 20);
  const fd = fs.openSync(file, 'r');
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** A file's SHA-256 computed from the exact bytes written, saving a read-back at close. */
export interface KnownHash {
  sha256: string;
  bytes: number;
}

/**
 * Known hashes are used only when the file's size still matches; others are read and hashed.
 * `files` (relative posix paths): the folder's files when the caller has listed them already.
 */
export function buildManifest(
  dir: string,
  known?: ReadonlyMap<string, KnownHash>,
  files: Iterable<string> = listDatasetFiles(dir),
): string {
  return [...files]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((rel) => {
      const file = path.join(dir, rel);
      const k = known?.get(rel);
      const sum = k && fs.statSync(file).size === k.bytes ? k.sha256 : sha256File(file);
      return `${sum}  ${rel}\n`;
    })
    .join('');
}

export function writeManifest(
  dir: string,
  durability: Durability,
  known?: ReadonlyMap<string, KnownHash>,
  files?: Iterable<string>,
): void {
  writeFileAtomicSync(
    path.join(dir, datasetFiles.manifest),
    buildManifest(dir, known, files),
    durability,
  );
  if (durability === 'disk') fsyncDirSync(dir);
}

/** Problems found re-hashing a closed dataset (missing, changed or unlisted files); [] = intact. */
export function verifyManifest(dir: string): string[] {
  const file = path.join(dir, datasetFiles.manifest);
  if (!fs.existsSync(file)) return [`${file}: no manifest (dataset not closed)`];
  const listed = new Map<string, string>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!m) return [`${file}: malformed line "${line}"`];
    listed.set(m[2]!, m[1]!);
  }
  const problems: string[] = [];
  const present = new Set(listDatasetFiles(dir));
  for (const [rel, sum] of listed) {
    if (!present.has(rel)) problems.push(`${rel}: listed but missing`);
    else if (sha256File(path.join(dir, rel)) !== sum) problems.push(`${rel}: checksum differs`);
  }
  for (const rel of present) if (!listed.has(rel)) problems.push(`${rel}: not in manifest`);
  return problems;
}
