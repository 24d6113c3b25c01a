/**
 * Reads back a single-position OME-Zarr dataset a run wrote, with tensorstore (an
 * independent reader), and counts the frames whose pixels are not `expected`: a numpy
 * expression of `f00` (the frame's pixel at 0, 0), `xx` and `yy` (column and row indexes).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const CHECK = `
import json, sys
import numpy as np, tensorstore as ts
arr = ts.open({"driver": sys.argv[2], "kvstore": {"driver": "file", "path": sys.argv[1]}}, open=True, read=True).result()
data = arr.read().result().astype(np.int64)
bad = 0
yy, xx = np.meshgrid(np.arange(data.shape[3]), np.arange(data.shape[4]), indexing="ij")
for idx in np.ndindex(*data.shape[:3]):
    f = data[idx]
    f00 = f[0, 0]
    if not np.array_equal(f, eval(sys.argv[3])):
        bad += 1
print(json.dumps({"shape": list(arr.shape), "dtype": arr.dtype.name, "bad": bad}))
`;

export interface ZarrFrames {
  /** `layout.sizes` from the dataset's provenance.json. */
  sizes: Record<string, number>;
  /** What tensorstore read, or its stderr when it failed. */
  read: { shape: number[]; dtype: string; bad: number } | { stderr: string };
}

export function checkOmeZarrFrames(datasetDir: string, expected: string): ZarrFrames {
  const prov = JSON.parse(readFileSync(path.join(datasetDir, 'provenance.json'), 'utf8'));
  const driver = prov.layout.format === 'ome-zarr-0.5' ? 'zarr3' : 'zarr';
  const r = spawnSync(
    'python3',
    ['-c', CHECK, path.join(datasetDir, prov.imageFile, '0'), driver, expected],
    { encoding: 'utf8' },
  );
  return {
    sizes: prov.layout.sizes,
    read: r.stderr ? { stderr: r.stderr } : JSON.parse(r.stdout),
  };
}
