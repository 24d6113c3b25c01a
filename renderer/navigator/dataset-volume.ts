/**
 * A saved z-stack as a volume for the 3D view: every z plane of one position, time point and
 * channel read through `dataset.readPlane` (the Data tab viewer's command), each downsampled
 * to VOLUME_XY² by block mean. Datasets carry no calibration through that command, so the
 * box is in pixel units and planes one unit apart (the view stretches thin stacks).
 */
import type { CommandResult } from '../../electron/api/contract';
import { decodePlane } from '../ui/dataset-viewer';
import { downsampleMean, stackVolume, VOLUME_XY, type ZVolume } from './z-volume';

type Plane = CommandResult<'dataset.readPlane'>;
export type PlaneReader = (index: { p: number; t: number; c: number; z: number }) => Promise<Plane>;

/** Reads planes z = 0.. of (p, t, c) and stacks them; throws the reader's error as it comes. */
export async function loadDatasetVolume(
  dataset: string,
  read: PlaneReader,
  at: { p: number; t: number; c: number } = { p: 0, t: 0, c: 0 },
): Promise<ZVolume> {
  const first = await read({ ...at, z: 0 });
  const depth = first.sizes.z;
  const planes = [{ zUm: 0, voxels: toVoxels(first) }];
  for (let z = 1; z < depth; z++)
    planes.push({ zUm: z, voxels: toVoxels(await read({ ...at, z })) });
  return stackVolume(
    planes,
    { x: first.widthPx, y: first.heightPx },
    `${dataset} (${first.channel}, ${depth} planes)`,
    first.channel,
  );
}

function toVoxels(p: Plane): Uint16Array {
  return downsampleMean(decodePlane(p), p.widthPx, p.heightPx, VOLUME_XY);
}
