/**
 * A saved z-stack as a volume for the 3D view: every z plane of one position, time point and
 * channel read through `dataset.readPlane` (the Data tab viewer's command; any format the
 * writers produce), each downsampled to VOLUME_XY² by block mean. The box is in µm from the
 * dataset's calibration (the reply's pixelSizeUm and zStepUm): x, y the image's width and
 * height times the pixel size, z the planes times their step; plane k sits at z = k × step
 * (the stack's own z, 0 at its first plane).
 */
import type { CommandResult } from '../../electron/api/contract';
import { decodePlane } from '../ui/dataset-viewer';
import { downsampleMean, stackVolume, VOLUME_XY, type ZVolume } from './z-volume';

type Plane = CommandResult<'dataset.readPlane'>;
export type PlaneReader = (index: { p: number; t: number; c: number; z: number }) => Promise<Plane>;
export interface DatasetIndex {
  p: number;
  t: number;
  c: number;
}

/** A loaded stack and what its selectors may offer: the dataset's sizes and channel names. */
export interface DatasetVolume {
  volume: ZVolume;
  sizes: Plane['sizes'];
  channels: string[];
}

/** Reads planes z = 0.. of (p, t, c) and stacks them; throws the reader's error as it comes. */
export async function loadDatasetVolume(
  dataset: string,
  read: PlaneReader,
  at: DatasetIndex = { p: 0, t: 0, c: 0 },
): Promise<DatasetVolume> {
  const first = await read({ ...at, z: 0 });
  const depth = first.sizes.z;
  const planes = [{ zUm: 0, voxels: toVoxels(first) }];
  for (let z = 1; z < depth; z++)
    planes.push({ zUm: z * first.zStepUm, voxels: toVoxels(await read({ ...at, z })) });
  const where = [
    first.sizes.p > 1 ? `p ${at.p}` : '',
    first.sizes.t > 1 ? `t ${at.t}` : '',
    first.channel,
    `${depth} plane${depth === 1 ? '' : 's'}`,
  ].filter(Boolean);
  const volume = stackVolume(
    planes,
    { x: first.widthPx * first.pixelSizeUm, y: first.heightPx * first.pixelSizeUm },
    `${dataset} (${where.join(', ')})`,
    first.channel,
    VOLUME_XY,
    first.zStepUm,
  );
  return { volume, sizes: first.sizes, channels: first.channels };
}

function toVoxels(p: Plane): Uint16Array {
  return downsampleMean(decodePlane(p), p.widthPx, p.heightPx, VOLUME_XY);
}
