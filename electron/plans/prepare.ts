/**
 * Everything the host needs to start a run from a plan file and a config: the bound plan,
 * its expanded events, the dataset shape and a dataset layout for the writers.
 */
import { StateError } from '../../drivers/errors';
import type { AquilaConfig } from '../config/schema';
import type { ChannelInfo, DatasetFormat, DatasetLayoutInput } from '../storage/layout';
import { datasetShape, type DatasetShape } from './dataset-shape';
import type { MdaEvent } from './events';
import { expandSequence } from './expand';
import { bindPlan, type CameraGeometry, type PlanBinding } from './resolve';
import { timePointsS } from './time-plan';
import type { MdaSequence } from './types';
import { zIterate } from './z-plan';

export interface PreparedRun {
  seq: MdaSequence;
  events: MdaEvent[];
  shape: DatasetShape;
  binding: PlanBinding;
}

/**
 * Binds the plan to the config (channel presets, camera FOV) and expands it.
 * `connectedCamera`: a connected camera's geometry, used when the config has none (see
 * bindPlan); `expanded`: the plan already expanded with that FOV (checkPlan did it).
 */
export function prepareRun(
  seq: MdaSequence,
  config: AquilaConfig,
  connectedCamera: CameraGeometry | null = null,
  expanded?: MdaEvent[],
): PreparedRun {
  const binding = bindPlan(seq, config, connectedCamera);
  const events = expanded ?? [...expandSequence(seq, { fovUm: binding.fovUm })];
  return { seq, events, shape: datasetShape(events), binding };
}

/** Display colour by excitation line: violet/blue, green, red, far red; grey without a line. */
export function colorForWavelength(nm: number | undefined): string {
  if (nm === undefined) return 'FFFFFF';
  if (nm < 450) return '0000FF';
  if (nm < 520) return '00FF00';
  if (nm < 620) return 'FF0000';
  return 'FF00FF';
}

function laserWavelengthNm(config: AquilaConfig, laserId: string): number | undefined {
  const dev = config.devices.find((d) => d.id === laserId && d.kind === 'laser');
  const nm = dev?.options.wavelengthNm;
  return typeof nm === 'number' ? nm : undefined;
}

/** The dataset layout for a prepared run; z step and time interval from the top-level plans. */
export function layoutFor(
  run: PreparedRun,
  config: AquilaConfig,
  name: string,
  format: DatasetFormat = 'ome-zarr-0.4',
): DatasetLayoutInput {
  const camera = run.binding.camera;
  if (!camera) throw new StateError('the config has no camera with a known size and pixel size');
  const channels: ChannelInfo[] = Array.from({ length: run.shape.sizes.c }, (_, c) => {
    const channelName = run.shape.channelNames[c] ?? `C${c}`;
    const preset = run.binding.presets.get(channelName);
    const nm = preset ? laserWavelengthNm(config, preset.laserId) : undefined;
    const info: ChannelInfo = {
      name: channelName,
      colorHex: colorForWavelength(nm),
      window: { start: 0, end: 65_535, min: 0, max: 65_535 },
    };
    if (nm !== undefined) info.excitationNm = nm;
    return info;
  });
  const z = run.seq.z_plan ? zIterate(run.seq.z_plan) : [];
  const t = run.seq.time_plan ? timePointsS(run.seq.time_plan) : [];
  const zStepUm = z.length > 1 ? Math.abs(z[1]! - z[0]!) : 0;
  const timeIntervalS = t.length > 1 ? t[1]! - t[0]! : 0;
  return {
    name,
    format,
    positions: run.shape.positions,
    sizes: { ...run.shape.sizes, y: camera.heightPx, x: camera.widthPx },
    channels,
    physical: {
      pixelSizeUm: camera.pixelSizeUm,
      zStepUm: zStepUm > 0 ? zStepUm : 1,
      timeIntervalS: timeIntervalS > 0 ? timeIntervalS : 1,
    },
  };
}
