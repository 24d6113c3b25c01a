/**
 * Builds dataset folders in the layout the dataset writer produces: files, then
 * `manifest.sha256` last (`<sha256>  <relative posix path>`, sorted, excluding itself).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface FixtureFile {
  rel: string;
  sizeBytes: number;
}

export const MIB = 1024 * 1024;

/** A typical small dataset: image chunks of several sizes plus journal/provenance/metadata. */
export function typicalFiles(bigMiB: number): FixtureFile[] {
  return [
    { rel: 'image.ome.zarr/0/0.0.0', sizeBytes: bigMiB * MIB + 12_345 },
    { rel: 'image.ome.zarr/0/1.0.0', sizeBytes: 5 * MIB },
    { rel: 'image.ome.zarr/0/2.0.0', sizeBytes: 3 * MIB + 7 },
    { rel: 'image.ome.zarr/.zattrs', sizeBytes: 900 },
    { rel: 'journal.jsonl', sizeBytes: 4_000 },
    { rel: 'provenance.json', sizeBytes: 1_500 },
    { rel: 'frames/metadata.jsonl', sizeBytes: 0 },
  ];
}

export async function makeDataset(
  root: string,
  name: string,
  files: FixtureFile[],
): Promise<string> {
  const dir = path.join(root, name);
  const lines: string[] = [];
  for (const f of files) {
    const file = path.join(dir, f.rel);
    await mkdir(path.dirname(file), { recursive: true });
    const data = randomBytes(f.sizeBytes);
    await writeFile(file, data);
    lines.push(`${createHash('sha256').update(data).digest('hex')}  ${f.rel}`);
  }
  lines.sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : 1));
  await writeFile(path.join(dir, 'manifest.sha256'), `${lines.join('\n')}\n`);
  return dir;
}
