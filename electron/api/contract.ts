/**
 * THE Aquila API, declared once. Every transport — the Electron preload bridge, HTTP +
 * WebSocket, the CLI and (later) the macro sandbox — carries exactly these commands, this
 * state and these events. Runtime schemas (zod) validate every incoming message at each
 * boundary; the TypeScript types are inferred from them, so there is no second
 * declaration that can drift. The renderer imports only types from this folder.
 */
import { z } from 'zod';

const finite = z.number().finite();
const nonNeg = finite.min(0);
const none = z.object({}).strict();

export const xyPosition = z.object({ xUm: finite, yUm: finite }).strict();
export const roi = z
  .object({
    xPx: z.number().int().min(0),
    yPx: z.number().int().min(0),
    widthPx: z.number().int().min(1),
    heightPx: z.number().int().min(1),
  })
  .strict();

/**
 * What switching every laser off achieved, line by line: `confirmed-off` (the off command was
 * acknowledged and emission reads back off), `unconfirmed` (the laser answered, but not with
 * a confirmed off: garbage, a device error, emission still reading on; `reason` says which)
 * or `unreachable` (no port: not connected, vanished, or it did not answer at all).
 */
export const laserOffLine = z.object({
  laserId: z.string(),
  outcome: z.enum(['confirmed-off', 'unconfirmed', 'unreachable']),
  reason: z.string().optional(),
});
export type LaserOffLine = z.infer<typeof laserOffLine>;

const laserOffResult = z.object({
  /** Lines confirmed off (kept for clients that only need this list). */
  lasersOff: z.array(z.string()),
  /** Every configured line, in config order. */
  lines: z.array(laserOffLine),
});

function command<P extends z.ZodType, R extends z.ZodType>(params: P, result: R, summary: string) {
  return { params, result, summary };
}

/** name → params schema, result schema, one-line summary (also printed by `aquila help`). */
/** A plan problem (electron/plans/check.ts): the plan field and the limit in words. */
const planProblem = z.object({
  severity: z.enum(['error', 'warning']),
  /** The plan field, e.g. `z_plan.range`, `stage_positions[3].z`; `(top level)`: the whole plan. */
  path: z.string(),
  message: z.string(),
});
export type PlanProblem = z.infer<typeof planProblem>;

export const commands = {
  estop: command(
    none,
    laserOffResult,
    'Emergency stop: halt all motion, switch every laser off, latch until safety.reset.',
  ),
  'safety.reset': command(none, none, 'Clear a latched emergency stop.'),
  'stage.moveTo': command(
    xyPosition,
    xyPosition,
    'Move the XY stage to an absolute position (µm); resolves when the move ends.',
  ),
  'stage.moveBy': command(
    z.object({ dxUm: finite, dyUm: finite }).strict(),
    xyPosition,
    'Move the XY stage by a relative step (µm).',
  ),
  'stage.stop': command(none, none, 'Stop XY motion.'),
  'stage.confirmPosition': command(
    none,
    xyPosition,
    'Confirm the XY position after a reconnect (check it first): moves are allowed again. Returns the position confirmed.',
  ),
  'focus.moveTo': command(
    z.object({ zUm: finite }).strict(),
    z.object({ zUm: finite }),
    'Move the focus drive to an absolute Z (µm).',
  ),
  'focus.moveBy': command(
    z.object({ dzUm: finite }).strict(),
    z.object({ zUm: finite }),
    'Move the focus drive by a relative step (µm).',
  ),
  'focus.stop': command(none, none, 'Stop Z motion.'),
  'focus.confirmPosition': command(
    none,
    z.object({ zUm: finite }),
    'Confirm the Z position after a reconnect (check it first): moves are allowed again. Returns the position confirmed.',
  ),
  'laser.setEmission': command(
    z.object({ laserId: z.string().min(1), on: z.boolean() }).strict(),
    none,
    'Switch one laser line on or off.',
  ),
  'laser.setPower': command(
    z.object({ laserId: z.string().min(1), powerMw: nonNeg }).strict(),
    none,
    'Set a laser power setpoint (mW).',
  ),
  'laser.allOff': command(none, laserOffResult, 'Switch every laser off (does not latch).'),
  'camera.setExposure': command(
    z.object({ exposureMs: finite.positive().max(60_000) }).strict(),
    none,
    'Set the camera exposure (ms).',
  ),
  'camera.setBinning': command(
    z.object({ binning: z.union([z.literal(1), z.literal(2), z.literal(4)]) }).strict(),
    none,
    'Set camera binning (1, 2 or 4).',
  ),
  'camera.setRoi': command(
    z.object({ roi: roi.nullable() }).strict(),
    none,
    'Set the camera region of interest in binned pixels; null = full sensor.',
  ),
  'camera.startLive': command(
    none,
    none,
    'Start continuous acquisition (frames on the frame channel).',
  ),
  'camera.stopLive': command(none, none, 'Stop continuous acquisition.'),
  'camera.snap': command(
    none,
    z.object({ seq: z.number().int() }),
    'Acquire one frame; it arrives on the frame channel.',
  ),
  'channel.apply': command(
    z.object({ name: z.string().min(1) }).strict(),
    none,
    'Apply a channel preset: set its exposure and power, switch every other line off and arm its line (with auto-shutter it emits only while the camera exposes; without, it is switched on now).',
  ),
  // Issue #18: auto-shutter.
  'shutter.setAuto': command(
    z.object({ enabled: z.boolean() }).strict(),
    none,
    'Auto-shutter on (light only while the camera exposes; every line off now) or off (lines switch only when told; logged as a warning).',
  ),
  'run.start': command(
    z
      .object({
        /** A useq-schema MDASequence (JSON object). */
        plan: z.record(z.string(), z.unknown()),
        /** Dataset name; default: a timestamp. Letters, digits, ".", "-", "_". */
        name: z.string().min(1).max(128).optional(),
        format: z.enum(['ome-zarr-0.4', 'ome-zarr-0.5', 'ome-tiff']).optional(),
        operator: z.string().max(128).optional(),
      })
      .strict(),
    z.object({ dir: z.string(), eventTotal: z.number().int() }),
    'Start an acquisition from a useq-schema MDASequence; one run at a time.',
  ),
  'plan.estimate': command(
    z.object({ plan: z.record(z.string(), z.unknown()) }).strict(),
    z.object({
      events: z.number(),
      frames: z.number(),
      bytes: z.number(),
      durationS: z.number(),
      /** Issue #18: what stops the plan (errors; run.start refuses them) or looks wrong (warnings); absent from older hosts. */
      problems: z.array(planProblem).optional(),
    }),
    'Expand a plan against this instrument: event and frame count, data volume (bytes), duration (s), and every problem with its plan field (envelope, channels, devices).',
  ),
  'run.pause': command(none, none, 'Pause the run at the next event boundary.'),
  'run.resume': command(none, none, 'Resume a paused run.'),
  'run.cancel': command(
    none,
    none,
    'Cancel the run at the next event boundary; hardware is restored, lasers off.',
  ),
  'datasets.refresh': command(
    none,
    z.object({ datasetsRoot: z.string(), datasets: z.array(z.custom<DatasetEntry>()) }),
    'Re-read the datasets folder (e.g. after `aquila acquire` wrote into it) and list its datasets, newest first.',
  ),
  'upload.enqueue': command(
    z.object({ dataset: z.string().min(1), target: z.string().min(1) }).strict(),
    z.object({ id: z.string() }),
    'Queue a closed dataset (name or folder inside the datasets folder) for upload to a configured target.',
  ),
  'upload.pause': command(z.object({ id: z.string().min(1) }).strict(), none, 'Pause one upload.'),
  'upload.resume': command(
    z.object({ id: z.string().min(1) }).strict(),
    none,
    'Resume a paused upload.',
  ),
  'upload.cancel': command(
    z.object({ id: z.string().min(1) }).strict(),
    none,
    'Cancel one upload (local data is kept).',
  ),
  'upload.retry': command(
    z.object({ id: z.string().min(1) }).strict(),
    none,
    'Retry a failed upload now.',
  ),
  'device.reconnect': command(
    z.object({ deviceId: z.string().min(1) }).strict(),
    none,
    'Close and reopen one device.',
  ),
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandParams<N extends CommandName> = z.input<Commands[N]['params']>;
export type CommandResult<N extends CommandName> = z.output<Commands[N]['result']>;
export const commandNames = Object.keys(commands) as CommandName[];

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commands, name);
}

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
  kind: 'xy-stage' | 'z-drive' | 'laser' | 'camera';
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
}

export type RunPhase =
  'idle' | 'running' | 'paused' | 'cancelling' | 'finished' | 'failed' | 'cancelled';

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
  | { type: 'safety'; message: string; timeMs: number };

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
