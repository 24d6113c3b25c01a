/** The dataset every writer bench streams: one position and channel, whole z stacks of `side`². */
import {
  type DatasetFormat,
  type DatasetLayout,
  datasetLayout,
} from '../../electron/storage/layout';

export function benchLayout(
  name: string,
  format: DatasetFormat,
  side: number,
  frames: number,
  zPlanes: number,
): DatasetLayout {
  return datasetLayout.parse({
    name,
    format,
    positions: 1,
    sizes: { t: Math.ceil(frames / zPlanes), c: 1, z: zPlanes, y: side, x: side },
    channels: [
      { name: 'sim', colorHex: 'FFFFFF', window: { start: 0, end: 4095, min: 0, max: 65535 } },
    ],
    physical: { pixelSizeUm: 0.1, zStepUm: 0.5, timeIntervalS: 1 },
    shardPlanes: format === 'ome-zarr-0.5' ? 8 : 1,
  });
}
