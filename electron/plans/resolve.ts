/**
 * Binds a plan to an Aquila configuration: every channel `config` must name a channel
 * preset (laser line, power, exposure), and the camera gives the field of view for grid
 * plans that leave it unset, and the frame size for estimates.
 */
import { ValidationError } from '../../drivers/errors';
import { formatPath } from '../../drivers/validation';
import type { AquilaConfig } from '../config/schema';
import { fieldExtentUm } from '../api/shared/orientation';
import type { MdaSequence } from './types';

export interface ChannelPresetLike {
  name: string;
  laserId: string;
  powerMw: number;
  exposureMs: number;
}

export interface CameraGeometry {
  widthPx: number;
  heightPx: number;
  pixelSizeUm: number;
}

export interface PlanBinding {
  presets: Map<string, ChannelPresetLike>;
  camera: CameraGeometry | null;
  /**
   * Camera FOV along stage X (width) and Y (height), µm — a camera turned a quarter turn
   * (config `stageOrientation`) swaps the frame's width and height — or null when the camera
   * geometry is not known from the config.
   */
  fovUm: { widthUm: number; heightUm: number } | null;
  /** Mechanical speeds for estimates, µm/s. */
  stageSpeedUmPerS: number;
  focusSpeedUmPerS: number;
}

const SIM_DEFAULTS = { widthPx: 2048, heightPx: 2048, pixelSizeUm: 0.1083 };

function numberOption(options: Record<string, unknown>, key: string): number | undefined {
  const v = options[key];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

/** Camera geometry from the config's camera options (sim defaults for the sim driver). */
export function cameraGeometry(config: AquilaConfig): CameraGeometry | null {
  const cam = config.devices.find((d) => d.kind === 'camera');
  if (!cam) return null;
  const defaults = cam.driver === 'sim' ? SIM_DEFAULTS : undefined;
  const widthPx = numberOption(cam.options, 'widthPx') ?? defaults?.widthPx;
  const heightPx = numberOption(cam.options, 'heightPx') ?? defaults?.heightPx;
  const pixelSizeUm = numberOption(cam.options, 'pixelSizeUm') ?? defaults?.pixelSizeUm;
  if (widthPx === undefined || heightPx === undefined || pixelSizeUm === undefined) return null;
  return { widthPx, heightPx, pixelSizeUm };
}

function speed(config: AquilaConfig, kind: 'xy-stage' | 'z-drive', fallback: number): number {
  const dev = config.devices.find((d) => d.kind === kind);
  return (dev && numberOption(dev.options, 'speedUmPerS')) ?? fallback;
}

/** A channel `config` that is not a preset: its path in the plan and the sentence to show. */
export interface ChannelProblem {
  path: string;
  message: string;
}

/** Every channel whose config is not a preset of `config`, sub-sequences included. */
export function unknownChannels(seq: MdaSequence, config: AquilaConfig): ChannelProblem[] {
  const presets = new Set(config.channels.map((c) => c.name));
  const problems: ChannelProblem[] = [];
  const check = (s: MdaSequence, at: (string | number)[]) => {
    s.channels.forEach((ch, i) => {
      if (!presets.has(ch.config))
        problems.push({
          path: formatPath([...at, 'channels', i, 'config']),
          message: `"${ch.config}" is not a channel preset of this config (have: ${[...presets].join(', ') || 'none'})`,
        });
    });
    s.stage_positions.forEach((p, i) => {
      if (p.sequence) check(p.sequence, [...at, 'stage_positions', i, 'sequence']);
    });
  };
  check(seq, []);
  return problems;
}

/** Names every channel whose config is not a preset, with its path in the plan. */
export function bindPlan(
  seq: MdaSequence,
  config: AquilaConfig,
  connectedCamera: CameraGeometry | null = null,
): PlanBinding {
  const presets = new Map(config.channels.map((c) => [c.name, c]));
  const problems = unknownChannels(seq, config).map((p) => `${p.path}: ${p.message}`);
  if (problems.length)
    throw new ValidationError(
      `plan does not fit config "${config.name}":\n  ${problems.join('\n  ')}`,
      {
        problems,
      },
    );
  return planBinding(config, connectedCamera, presets);
}

/**
 * The binding without checking channel names (estimates of plans with problems).
 * `connectedCamera`: the geometry a connected camera reports, used when the config has none
 * (cameras that learn their sensor at connect, e.g. GenICam).
 */
export function planBinding(
  config: AquilaConfig,
  connectedCamera: CameraGeometry | null = null,
  presets = new Map(config.channels.map((c) => [c.name, c])),
): PlanBinding {
  const camera = cameraGeometry(config) ?? connectedCamera;
  return {
    presets,
    camera,
    fovUm: camera ? fovOnStage(config, camera) : null,
    // Fallbacks are the simulated devices' defaults (drivers/sim/sim-devices.ts).
    stageSpeedUmPerS: speed(config, 'xy-stage', 5_000),
    focusSpeedUmPerS: speed(config, 'z-drive', 500),
  };
}

function fovOnStage(
  config: AquilaConfig,
  c: CameraGeometry,
): { widthUm: number; heightUm: number } {
  const e = fieldExtentUm(config.stageOrientation, c.widthPx, c.heightPx, c.pixelSizeUm);
  return { widthUm: e.xUm, heightUm: e.yUm };
}
