/** The host's state, events, errors and frame metadata as every client sees them. */
import { z } from 'zod';
import type { ControlState } from './access-schema';
import type { AnalysisView } from './analysis-schema';
import type { FoundRoiView, RoiVerdict } from './automation-schema';
import type { MacroView } from './macro-schema';
import type { FocusPoint, NavigatorView } from './navigator-schema';
import type { roi } from './schema-parts';
import type { ViewSettings } from './operator-schema';

// ---------------------------------------------------------------------------------- errors

export const apiError = z.object({
  name: z.string(),
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ApiError = z.infer<typeof apiError>;

// ----------------------------------------------------------------------------------- state

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface DeviceStatus {
  id: string;
  kind: 'xy-stage' | 'z-drive' | 'laser' | 'camera' | 'focus-sensor';
  driver: string;
  connection: ConnectionState;
  identity: { vendor: string; model: string; serial: string; firmware: string } | null;
  lastError: ApiError | null;
  /** What the operator must see and act on for this device, until its condition clears. */
  alarms: DeviceAlarm[];
}

/**
 * A persistent condition of one device, shown until it clears (never a passing log line):
 * - `E_OFF_UNCONFIRMED`: a laser did not confirm "off" when it had to (e-stop, all-off);
 *   cleared when the head later confirms it is off (an off read back, or a read of its
 *   state after a reconnect showing emission off);
 * - `E_UNREACHABLE`: the device's port is gone; its state (emission!) is unknown;
 * - `E_POSITION_UNTRUSTED`: a stage reconnected (maybe power-cycled); moves are refused
 *   until the position is confirmed.
 */
export interface DeviceAlarm {
  code: 'E_OFF_UNCONFIRMED' | 'E_UNREACHABLE' | 'E_POSITION_UNTRUSTED';
  message: string;
  sinceMs: number;
}

export interface LimitRange {
  min: number;
  max: number;
}

export interface LaserState {
  id: string;
  wavelengthNm: number;
  maxPowerMw: number;
  powerMw: number;
  emission: boolean;
  /** Read back from the head at connect and on every refresh; absent before the first read. */
  interlock?: 'closed' | 'open' | 'unknown';
  /** Selected for the next exposure (auto-shutter); `emission` says whether it emits now. */
  armed?: boolean;
}

export interface CameraState {
  id: string;
  widthPx: number;
  heightPx: number;
  pixelSizeUm: number;
  bitDepth: number;
  exposureMs: number;
  binning: number;
  roi: z.infer<typeof roi> | null;
  live: boolean;
  framesAcquired: number;
  /** Frames the host could not pass to a lossless sink; always shown, never silent. */
  framesDropped: number;
}

export interface ChannelPreset {
  name: string;
  laserId: string;
  powerMw: number;
  exposureMs: number;
}

/** The safety supervisor that switches lasers off and halts stages if the host dies. */
export interface SupervisorView {
  /**
   * `armed`: watching this host; `not-needed`: no serial laser or stage to watch (simulated
   * devices end with the host); `lost`: it ended, the host runs unsupervised (an alarm);
   * `disarmed`: a clean shutdown released it.
   */
  state: 'armed' | 'not-needed' | 'lost' | 'disarmed';
  /** Its process id, null when none was started. */
  pid: number | null;
  /** Why it was lost, or which devices it cannot reach. */
  message: string | null;
  /** What a supervisor did after the previous host died (from its report file). */
  lastReport: string | null;
}

/** Stage-to-camera orientation (config `stageOrientation`, electron/config/stage-orientation.ts). */
export interface StageOrientation {
  flipX: boolean;
  flipY: boolean;
  rotate90: boolean;
}

/** The host's truth. Sent whole on connect (snapshot), then as immer patches. */
export interface AppState {
  instrument: { name: string; configPath: string; version: string };
  safety: {
    estopLatched: boolean;
    estopReason: string | null;
    limits: { xUm: LimitRange; yUm: LimitRange; zUm: LimitRange };
    /** The safety supervisor process (docs/safety.md); absent from hosts that predate it. */
    supervisor?: SupervisorView;
  };
  devices: Record<string, DeviceStatus>;
  stage: { id: string; xUm: number; yUm: number; busy: boolean } | null;
  focus: { id: string; zUm: number; busy: boolean } | null;
  lasers: Record<string, LaserState>;
  camera: CameraState | null;
  channels: ChannelPreset[];
  activeChannel: string | null;
  /** Auto-shutter (docs/safety.md); absent from hosts that predate it. */
  shutter?: ShutterState;
  /** The current or last acquisition run; null before the first. */
  run: RunView | null;
  /** Datasets in the configured datasets folder, newest first. */
  datasets: DatasetEntry[];
  storage: StorageState;
  /** The upload queue, one entry per dataset × target. */
  uploads: UploadView[];
  /** The control lease (issue #13 §3). */
  control: ControlState;
  /** The current or last FLImP-style automation run; null before the first. */
  automation: AutomationView | null;
  /** The focus lock; null without a focus sensor. */
  focusLock: FocusLockView | null;
  /** Issue #16 §2: SLURM analysis jobs, one per dataset × analysis job; absent without an `analysis` config. */
  analysis?: AnalysisView[];
  /** The last rois.find result and the operators' verdicts on it; null before or after rois.clear. */
  roiFinder: RoiFinderView | null;
  /** Issue #15: running and recent macros (absent from older hosts). */
  macros?: MacroView[];
  /** Issue #17: the sample holder from the config; absent from older hosts. */
  navigator?: NavigatorView;
  /** What a new page opens with (issue #18 §4); absent from hosts that predate it. */
  view?: ViewSettings;
  /** How stage axes appear in the image (issue #18 §7); absent: identity. */
  stageOrientation?: StageOrientation;
}

export interface RoiFinderView {
  frameSeq: number;
  widthPx: number;
  heightPx: number;
  /** Stage position of the frame the ROIs were found in. */
  atStageUm: { xUm: number; yUm: number };
  /** µm per frame pixel at the sample (pixelSizeUm × binning); absent from older hosts. */
  umPerPx?: number;
  /** Best first. */
  rois: FoundRoiView[];
  /** One per ROI (rois.setVerdict). */
  verdicts: RoiVerdict[];
}

export type AutomationPhase =
  | 'starting'
  | 'scanning'
  | 'imaging'
  | 'paused'
  | 'cancelling'
  | 'finished'
  | 'failed'
  | 'cancelled';

export interface AutomationRoiView {
  /** Run-wide ROI number, 0-based, in the order found. */
  id: number;
  tile: number;
  xUm: number;
  yUm: number;
  state: 'pending' | 'imaging' | 'imaged' | 'skipped';
  /** Why it was skipped. */
  reason?: string;
  frames: number;
  /** The ROI's dataset folder, once opened. */
  dataset?: string;
}

export interface AutomationView {
  name: string;
  dir: string;
  phase: AutomationPhase;
  pauseRequested: boolean;
  tileIndex: number;
  tileTotal: number;
  /** The ROI being imaged, or null. */
  currentRoi: number | null;
  found: number;
  imaged: number;
  skipped: number;
  /** ROIs still to image (capped by the plan's maxRois). */
  remaining: number;
  rois: AutomationRoiView[];
  /** The focus map (issue #17): one point per tile focused so far, in scan order. */
  focusMap?: FocusPoint[];
  /** Seconds to the end from the mean time per ROI so far; null before the first. */
  etaS: number | null;
  startedAtMs: number;
  endedAtMs: number | null;
  failure: ApiError | null;
  /** The report (report.html) once written. */
  report: string | null;
}

export interface FocusLockView {
  state: 'off' | 'locking' | 'locked' | 'lost';
  errorUm: number | null;
  offsetUm: number;
  signal: number;
  calibrated: boolean;
  /** RMS of the loop's errors over the last second, µm; null while off or without samples. */
  rmsErrorUm: number | null;
  reason?: string;
}

export interface ShutterState {
  /** Light only while the camera exposes; off: lines switch only when told (a warning). */
  auto: boolean;
  /** Why live last stopped by itself (no client watching), null otherwise; cleared at live start. */
  liveStopReason: string | null;
}

export interface StorageState {
  datasetsRoot: string;
  freeBytes: number | null;
  totalBytes: number | null;
  /** Below the configured free-space threshold: warn the operator. */
  nearlyFull: boolean;
  /** Names of the configured upload targets (no credentials, ever). */
  uploadTargets: string[];
}

export interface UploadView {
  id: string;
  /** Absolute path of the local dataset folder. */
  dataset: string;
  target: string;
  state: 'queued' | 'uploading' | 'verifying' | 'paused' | 'done' | 'failed' | 'cancelled';
  /** Why it failed, or the error the next retry is waiting out. */
  reason?: string;
  bytesDone: number;
  bytesTotal: number;
  /** Smoothed transfer rate over the last seconds, bytes/s. */
  rateBytesPerS: number;
  /** Estimated seconds to completion at the current rate; null when unknown. */
  etaS: number | null;
  /** Failed attempts since the last success or manual retry. */
  attempts: number;
  /** Epoch ms of the next automatic retry, when waiting on backoff. */
  retryAtMs?: number;
  enqueuedAtMs: number;
  /** The local copy was deleted by the free-space policy after verification. */
  localFreed: boolean;
  /** Bytes sent a second time after interruptions (a request cut short and retried). */
  bytesResent?: number;
  /**
   * Live archiving of a run still being acquired: bytes the writer has finished (acquired),
   * bytes of those verified on the target (archived), and how long the oldest finished file
   * not yet archived has waited, seconds (archive lag).
   */
  live?: { acquiredBytes: number; archivedBytes: number; lagS: number };
}

export type RunPhase =
  'idle' | 'running' | 'paused' | 'cancelling' | 'finished' | 'failed' | 'cancelled';

/** The event a run is acquiring (electron/runner/run-position.ts). */
export interface RunPosition {
  /** Axis → 0-based index of the event being acquired (the last one once the run ends). */
  index: Record<string, number>;
  channel: string | null;
  position: string | null;
  xUm: number | null;
  yUm: number | null;
  zUm: number | null;
}

export interface RunView {
  name: string;
  dir: string;
  format: string;
  state: RunPhase;
  pauseRequested: boolean;
  eventIndex: number;
  eventTotal: number;
  framesWritten: number;
  framesDropped: number;
  bytesWritten: number;
  dataRateBytesPerS: number;
  etaS: number | null;
  startedAtMs: number | null;
  endedAtMs: number | null;
  /** Events that failed and were skipped. */
  errors: { eventIndex: number; message: string }[];
  failure: ApiError | null;
  /** The plan as submitted (issue #18 §4: a reload shows what runs); absent from older hosts. */
  plan?: Record<string, unknown>;
  /** The event being acquired (issue #18 §9): indices, channel, position, target µm. */
  current?: RunPosition | null;
  /** Axis → size (t, p, c, z, …), for "t 3 / 30". */
  axisSizes?: Record<string, number>;
}

export interface DatasetEntry {
  name: string;
  dir: string;
  /** complete | interrupted | failed | cancelled | running */
  outcome: string;
  startedAt: string | null;
  framesWritten: number | null;
  /** A manifest exists: the dataset is closed and can be archived. */
  closed: boolean;
  // Issue #18 §8 (absent from hosts that predate it):
  /** `ome-zarr-0.4`, `ome-tiff`, … */
  format?: string;
  /** Dimensions: t, c, z planes of y × x pixels. */
  sizes?: { t: number; c: number; z: number; y: number; x: number };
  framesExpected?: number | null;
  /** Bytes on disk (every file in the folder). */
  bytes?: number | null;
  /** Why it failed or was interrupted, in the writer's words. */
  reason?: string | null;
}

/** An immer patch: `op` on `path` of AppState. */
export interface StatePatch {
  op: 'replace' | 'add' | 'remove';
  path: (string | number)[];
  value?: unknown;
}

// ---------------------------------------------------------------------------------- events

export type HostEvent =
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string; timeMs: number }
  | { type: 'safety'; message: string; timeMs: number }
  /** A command the host refused (issue #18): every client's event list shows it. */
  | { type: 'refused'; command: string; user: string; error: ApiError; timeMs: number };

// ---------------------------------------------------------------------------------- frames

/** Metadata that travels with every frame; pixels follow on the binary frame channel. */
export interface FrameMeta {
  /** Host-wide frame number, monotonically increasing. */
  seq: number;
  cameraSeq: number;
  widthPx: number;
  heightPx: number;
  bitDepth: number;
  binning: number;
  /** Sensor pixel size at the sample for binning 1, µm; a frame pixel spans pixelSizeUm × binning. */
  pixelSizeUm: number;
  exposureMs: number;
  /** End of exposure, host epoch ms. */
  timestampMs: number;
  stage: { xUm: number; yUm: number; zUm: number };
  /** Laser id → emitted power in mW during the exposure (0 when off). */
  lasersMw: Record<string, number>;
  /**
   * Laser id → dose in mW·ms: power × the time the line emitted within this exposure, from
   * the confirmed on/off times (docs/safety.md §auto-shutter); lines that did not emit are
   * absent. Absent from frames of hosts that predate it.
   */
  doseMwMs?: Record<string, number>;
  /** When the host sent the frame to this client (epoch ms), for latency readouts. */
  sentAtMs: number;
}
