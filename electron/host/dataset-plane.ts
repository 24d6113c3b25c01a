/**
 * One saved plane of a dataset for the Data tab's viewer (issue #18 §8), in any format the
 * writers produce (OME-Zarr 0.4, 0.5 sharded or not, OME-TIFF: storage/plane-reader.ts).
 */
import path from 'node:path';
import { StateError, ValidationError } from '../../drivers/errors';
import type { CommandResult } from '../api/contract';
import { readProvenance } from '../storage/dataset-files';
import type { FrameIndex } from '../storage/layout';
import { readPlaneBytes } from '../storage/plane-reader';

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
  const bytes = readPlaneBytes(dir, layout, index);
  return {
    widthPx: layout.sizes.x,
    heightPx: layout.sizes.y,
    bitDepth: layout.pixelType === 'uint8' ? 8 : 16,
    channel: layout.channels[index.c]?.name ?? `c${index.c}`,
    sizes,
    channels: layout.channels.map((ch) => ch.name),
    pixelSizeUm: layout.physical.pixelSizeUm,
    zStepUm: layout.physical.zStepUm,
    pixelsBase64: bytes.toString('base64'),
  };
}
