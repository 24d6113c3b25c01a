/** Shared test helpers: small layouts, frame metadata, temp dirs and the python verifier. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  ChannelInfo,
  DatasetFormat,
  DatasetFrameMeta,
  DatasetLayout,
  FrameIndex,
} from '../../../electron/storage/layout';
import { datasetLayout } from '../../../electron/storage/layout';
import { tempDir } from '../../support/temp-dir';

const defaultChannels: ChannelInfo[] = [
  {
    name: 'GFP',
    colorHex: '00FF00',
    window: { start: 0, end: 4000, min: 0, max: 65535 },
    excitationNm: 488,
  },
  {
    name: 'mCherry <red>',
    colorHex: 'FF00FF',
    window: { start: 10, end: 900, min: 0, max: 65535 },
  },
];

export function smallLayout(
  format: DatasetFormat,
  over: Partial<DatasetLayout> = {},
): DatasetLayout {
  return datasetLayout.parse({
    name: `ds-${format}`,
    format,
    positions: 2,
    sizes: { t: 2, c: 2, z: 3, y: 24, x: 32 },
    physical: { pixelSizeUm: 0.65, zStepUm: 2.5, timeIntervalS: 30 },
    shardPlanes: format === 'ome-zarr-0.5' ? 2 : 1,
    ...over,
    channels: (over.channels ?? defaultChannels).slice(0, over.sizes?.c ?? 2),
  });
}

export function allIndices(l: DatasetLayout): FrameIndex[] {
  const out: FrameIndex[] = [];
  for (let p = 0; p < l.positions; p++)
    for (let t = 0; t < l.sizes.t; t++)
      for (let c = 0; c < l.sizes.c; c++)
        for (let z = 0; z < l.sizes.z; z++) out.push({ p, t, c, z });
  return out;
}

export function metaFor(l: DatasetLayout, i: FrameIndex, seq: number): DatasetFrameMeta {
  return {
    seq,
    cameraSeq: seq,
    widthPx: l.sizes.x,
    heightPx: l.sizes.y,
    bitDepth: 16,
    binning: 1,
    pixelSizeUm: l.physical.pixelSizeUm,
    exposureMs: 10 + i.c,
    timestampMs: 1_700_000_000_000 + seq * 5,
    stage: { xUm: 100 * i.p, yUm: -50 * i.p, zUm: i.z * l.physical.zStepUm },
    lasersMw: { l488: i.c === 0 ? 5 : 0 },
    channel: l.channels[i.c]!.name,
  };
}

export function tempRoot(tag: string): string {
  return tempDir(`aquila-${tag}-`);
}

const verifier = fileURLToPath(new URL('../../python/verify_dataset.py', import.meta.url));

export interface VerifyResult {
  dir: string;
  ok: boolean;
  checked: number;
  outcome: string;
  problems: string[];
}

/**
 * Runs the independent reader on several datasets (`dir` or `dir=writtenIndicesFile`);
 * throws with a clear message when tensorstore/tifffile are missing.
 */
export function verifyManyWithPython(
  targets: string[],
  o: { pages?: boolean } = {},
): VerifyResult[] {
  const args = [verifier, ...(o.pages ? ['--pages'] : []), ...targets];
  const r = spawnSync('python3', args, { encoding: 'utf8' });
  if (r.status === 2 || r.error)
    throw new Error(
      `independent reader unavailable (${r.error?.message ?? r.stdout.trim()}): install with "python3 -m pip install tensorstore tifffile"`,
    );
  try {
    return r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as VerifyResult);
  } catch {
    throw new Error(`verify_dataset.py failed: ${r.stderr}`);
  }
}

export function verifyWithPython(dir: string, writtenFile?: string): VerifyResult {
  const [one] = verifyManyWithPython([writtenFile ? `${dir}=${writtenFile}` : dir]);
  if (!one) throw new Error('verify_dataset.py printed nothing');
  return one;
}

/** Validates an OME-XML string against the 2016-06 schema with xmllint; returns its stderr on failure. */
export function xmllintProblems(xml: string): string | null {
  const schema = fileURLToPath(new URL('../../fixtures/ome/ome-2016-06.xsd', import.meta.url));
  const dir = tempRoot('xml');
  const file = path.join(dir, 'x.ome.xml');
  fs.writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--schema', schema, file], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  if (r.error)
    throw new Error(`xmllint unavailable (${r.error.message}): apt-get install libxml2-utils`);
  return r.status === 0 ? null : r.stderr;
}
