/**
 * What the FLImP executor needs from the host. The host (electron/host/automation-service.ts)
 * provides the runner's AcquisitionEngine over the safety layer's guarded devices, the
 * analysis (B's kernels in worker threads, the focus lock) and the dataset writer path.
 */
import type { z } from 'zod';
import type { SimClock } from '../../../drivers/sim/sim-clock';
import type { roiFindOptions, StageOrientation } from '../../api/contract';
import type { DatasetFormat, RunEnd } from '../../storage/layout';
import type { AcquiredFrame, AcquisitionEngine } from '../../runner/types';
import type { AutofocusResult } from '../autofocus';
import type { FoundRoi, RoiFindOptions as KernelRoiOptions } from '../kernels/roi-find';
import type { FrameGeometry } from '../pixel-to-stage';
import type { FocusStep, Illumination } from './plan-schema';

export type RoiFindOptions = z.output<typeof roiFindOptions>;

/**
 * Compile-time check that the API accepts every ROI-finding option of the kernels (and no
 * other): an error here means `roiFindOptions` in contract.ts needs the kernel's new field.
 */
type OnlyInKernel = Exclude<keyof KernelRoiOptions, keyof RoiFindOptions>;
type OnlyInApi = Exclude<keyof RoiFindOptions, keyof KernelRoiOptions>;
export const roiOptionsInSync: [OnlyInKernel, OnlyInApi] extends [never, never] ? true : never =
  true;
export type SoftwareFocus = Extract<FocusStep, { mode: 'software' }>;

export interface FlimpAnalysis {
  /**
   * Software autofocus around the current Z with frames taken under `light`; rejects
   * (E_AUTOFOCUS, Z back at its start) when no focus is found, or when `signal` aborts.
   */
  autofocus(
    options: SoftwareFocus,
    light: Illumination,
    signal: AbortSignal,
  ): Promise<AutofocusResult>;
  /** Engages the focus lock if it is off and waits until it holds; rejects when it cannot. */
  holdLock(signal: AbortSignal): Promise<{ zUm: number }>;
  /** Why the focus lock is lost, or null (checked after each time point of an ROI focused by the lock). */
  lockLost?(): string | null;
  findRois(
    pixels: Uint16Array,
    widthPx: number,
    heightPx: number,
    options: RoiFindOptions,
  ): Promise<FoundRoi[]>;
  /** Shift of `moving` relative to `reference`, px. */
  register(
    reference: Uint16Array,
    moving: Uint16Array,
    widthPx: number,
    heightPx: number,
  ): Promise<{ dxPx: number; dyPx: number; confidence: number }>;
}

export interface RoiDatasetSpec {
  name: string;
  widthPx: number;
  heightPx: number;
  /** Declared time points (the plan's maxFrames); a run that stops early writes fewer. */
  timePoints: number;
  channels: Illumination[];
  pixelSizeUm: number;
  intervalS: number;
  format: DatasetFormat | undefined;
  /** Recorded in the dataset's provenance. */
  plan: unknown;
}

/** One ROI's dataset, written through the host's lossless frame pipeline. */
export interface RoiDataset {
  readonly dir: string;
  /** Resolves once queued; `frame.pixels` is handed over (detached afterwards). */
  write(frame: AcquiredFrame, t: number, c: number, channel: string): Promise<void>;
  takeBuffer?(): ArrayBuffer;
  close(end: RunEnd): Promise<{ framesWritten: number }>;
  /** Closes a dataset that received no frame and removes its folder. */
  discard(): Promise<void>;
}

export interface FieldOfView {
  widthPx: number;
  heightPx: number;
  /** Binned pixel size at the sample, µm. */
  pixelUm: number;
  /** How its frames lie on the stage (config stageOrientation, pixel-to-stage.ts). */
  orientation: StageOrientation;
}

export interface FlimpDeps {
  engine: AcquisitionEngine;
  analysis: FlimpAnalysis;
  fieldOfView(): Promise<FieldOfView>;
  /** Pixel ↔ stage geometry of a frame this run acquired. */
  geometry(frame: AcquiredFrame): FrameGeometry;
  openDataset(spec: RoiDatasetSpec): Promise<RoiDataset>;
  /** A dataset folder of this name exists already (an attempt the journal does not know). */
  isNameTaken?(name: string): boolean;
  /** Queues a closed dataset folder for upload; absent when the host has no upload queue. */
  enqueueUpload?(dir: string, target: string): Promise<void>;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** Epoch ms of records and status (default Date.now); on `time` when that is given. */
  wallMs?(): number;
  /** The instrument's clock: ROI intervals wait on it (default real time; dry runs: simulated). */
  time?: SimClock;
}
