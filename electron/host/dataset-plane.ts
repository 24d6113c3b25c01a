/**
 * One saved plane of a dataset for the Data tab's viewer (issue #18 §8): OME-Zarr 0.4 and
 * unsharded 0.5 datasets, whose chunks are single uncompressed planes (zarr-meta.ts), are
 * read straight from their chunk file. Sharded Zarr and OME-TIFF are not read here yet.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StateError, ValidationError } from '../../drivers/errors';
import type { CommandResult } from '../api/contract';
import { readProvenance } from '../storage/dataset-files';
import { imageFileName, planeBytes, type FrameIndex } from '../storage/layout';
import { chunkKey, shardPlanesOf } from '../storage/zarr-meta';

export function readDatasetPlane(
  root: string,
  dataset: string,
  index: FrameIndex,
): CommandResult<'dataset.readPlane'> {
  const dir = path.resolve(root, dataset);
  if (path.dirname(dir) !== path.resolve(root))
    throw new ValidationError(`"${dataset}" is not a dataset folder inside ${root}`);
  let layout;
  try {
    layout = readProvenance(dir).layout;
  } catch (err) {
    throw new StateError(`${dataset}: no readable dataset (${(err as Error).message})`);
  }
  const sizes = { p: layout.positions, ...layout.sizes };
  for (const axis of ['p', 't', 'c', 'z'] as const) {
    if (!(index[axis] >= 0 && index[axis] < sizes[axis]))
      throw new ValidationError(
        `${dataset}: ${axis} = ${index[axis]} is outside 0..${sizes[axis] - 1}`,
      );
  }
  if (layout.format === 'ome-tiff' || shardPlanesOf(layout) > 1)
    throw new StateError(
      `${dataset}: the viewer reads OME-Zarr 0.4 and unsharded 0.5 datasets; this one is ${layout.format}${shardPlanesOf(layout) > 1 ? ' (sharded)' : ''}`,
    );
  const file = path.join(dir, imageFileName(layout), chunkKey(layout, index));
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new StateError(
      `${dataset}: plane t ${index.t}, c ${index.c}, z ${index.z} was not written`,
    );
  }
  if (bytes.length !== planeBytes(layout))
    throw new StateError(
      `${dataset}: plane t ${index.t}, c ${index.c}, z ${index.z} has ${bytes.length} bytes, not ${planeBytes(layout)}`,
    );
  return {
    widthPx: layout.sizes.x,
    heightPx: layout.sizes.y,
    bitDepth: layout.pixelType === 'uint8' ? 8 : 16,
    channel: layout.channels[index.c]?.name ?? `c${index.c}`,
    sizes,
    pixelsBase64: bytes.toString('base64'),
  };
}
