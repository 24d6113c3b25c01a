/**
 * What the runner needs from the host (`AcquisitionEngine`) and where frames go (`RunSink`,
 * declared with the dataset layout in electron/storage/layout.ts). Units: µm, ms, mW.
 */
import type { SerializedError } from '../../drivers/errors';
import type { FrameMeta } from '../api/contract';
import type { MdaEvent } from '../plans/events';
import type { DatasetSummary } from '../storage/layout';

export type { RunSink } from '../storage/layout';

/** The hardware state a run restores at its end. Emission is not part of it: runs end with lasers off. */
export interface HardwareSnapshot {
  xyUm: { xUm: number; yUm: number } | null;
  zUm: number | null;
  exposureMs: number | null;
  /** Laser id → power setpoint, mW. */
  laserPowersMw: Record<string, number>;
}

/** What to set before one event's frame. Absent fields stay as they are. */
export interface EventSetup {
  xUm?: number;
  yUm?: number;
  zUm?: number;
  /** Channel preset: its laser at its power; every other laser off. */
  channel?: { name: string; laserId: string; powerMw: number };
  exposureMs?: number;
}

/** One frame as the engine acquired it, with the metadata the host attaches. */
export interface AcquiredFrame {
  /** Row-major widthPx × heightPx; ownership passes to the runner. */
  pixels: Uint16Array;
  meta: Omit<FrameMeta, 'sentAtMs'>;
}

export interface AcquisitionEngine {
  snapshotHardware(): Promise<HardwareSnapshot>;
  /** Moves back and re-applies exposure and laser powers; leaves emission alone. */
  restoreHardware(snapshot: HardwareSnapshot): Promise<void>;
  /** Moves XY then Z, applies the channel preset and exposure; resolves when settled. */
  setupEvent(setup: EventSetup): Promise<void>;
  /**
   * Switches the current channel's laser on (if any), exposes one frame and returns it;
   * emission stays on. `into`: a buffer the camera may fill (Camera.snap).
   */
  acquireFrame(into?: ArrayBuffer): Promise<AcquiredFrame>;
  /** Switches every laser off; must be safe to call at any time, repeatedly. */
  lasersOff(): Promise<void>;
  /** Hardware autofocus for an autofocus event; absent until the automation issue provides it. */
  autofocus?(event: MdaEvent): Promise<void>;
}

export type RunState =
  'idle' | 'running' | 'paused' | 'cancelling' | 'finished' | 'failed' | 'cancelled';

/** An event that failed and was skipped. */
export interface RunEventError {
  /** Position in the run's event list, 0-based. */
  eventIndex: number;
  index: MdaEvent['index'];
  error: SerializedError;
  atMs: number;
}

export interface RunStatus {
  state: RunState;
  /** A pause was asked for and takes effect at the next event boundary. */
  pauseRequested: boolean;
  /** Events done (finished, skipped or failed); the current event is `eventIndex` (0-based). */
  eventIndex: number;
  eventTotal: number;
  framesWritten: number;
  bytesWritten: number;
  /** Bytes written per second of run time (pauses excluded). */
  dataRateBytesPerS: number;
  /** Seconds to the end, or null before the first event. */
  etaS: number | null;
  startedAtMs: number | null;
  endedAtMs: number | null;
  errors: RunEventError[];
  /** Why the run failed (state `failed`), else null. */
  failure: SerializedError | null;
  /** What the sink reported at close. */
  summary: DatasetSummary | null;
}
