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

/** Focus measures of the software autofocus (electron/automation/kernels). */
export const focusMeasureName = z.enum([
  'normalized-variance',
  'brenner',
  'tenengrad',
  'vollath-f4',
  'laplacian-variance',
]);

/** ROI finding options (electron/automation/kernels); all optional, the kernels' defaults apply. */
export const roiFindOptions = z
  .object({
    threshold: z
      .union([
        z.literal('otsu'),
        z.literal('triangle'),
        z.object({ value: z.number().finite().min(0) }).strict(),
      ])
      .optional(),
    /** Floor under automatic thresholds, in noise standard deviations (default 4). */
    minSigmas: z.number().finite().min(0).max(100).optional(),
    /** Hysteresis fraction of the threshold, 0..1 (default 1: a single threshold). */
    hysteresis: z.number().finite().min(0).max(1).optional(),
    /** Split touching round objects at their necks (default false). */
    split: z.boolean().optional(),
    backgroundRadiusPx: z.number().finite().min(0).optional(),
    smoothSigmaPx: z.number().finite().min(0).optional(),
    minAreaPx: z.number().finite().min(0).optional(),
    maxAreaPx: z.number().finite().positive().optional(),
    minCircularity: z.number().finite().min(0).max(1).optional(),
    minMeanIntensity: z.number().finite().min(0).optional(),
    edgeMarginPx: z.number().finite().min(0).optional(),
    maxOverlap: z.number().finite().min(0).max(1).optional(),
    maxCount: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();

export const autofocusParams = z
  .object({
    /** Search half-range around the current Z, µm (default 20). */
    rangeUm: z.number().finite().positive().max(1_000).optional(),
    /** Required accuracy, µm (default 0.25). */
    toleranceUm: z.number().finite().positive().max(100).optional(),
    measure: focusMeasureName.optional(),
    roi: roi.optional(),
    maxImages: z.number().int().min(3).max(500).optional(),
  })
  .strict();

const autofocusResult = z.object({
  zUm: finite,
  startZUm: finite,
  images: z.number().int(),
  curve: z.array(z.object({ zUm: finite, score: finite })),
  peakScore: finite,
  noiseScore: finite,
});

/** One ROI found in a frame: pixel geometry (pixel (i, j) centred at (i, j)) and stage µm. */
const foundRoiView = z.object({
  xPx: finite,
  yPx: finite,
  xUm: finite,
  yUm: finite,
  areaPx: finite,
  meanIntensity: finite,
  integratedIntensity: finite,
  circularity: finite,
  bbox: roi,
  score: finite,
});

function command<P extends z.ZodType, R extends z.ZodType>(params: P, result: R, summary: string) {
  return { params, result, summary };
}

// ------------------------------------------------------- access control (issue #13 §2–§5)
// Kept in one block so other command additions merge cleanly.

export const roleName = z.enum(['operator', 'observer']);
export type Role = z.infer<typeof roleName>;

const auditEntrySchema = z.object({
  seq: z.number().int(),
  timeMs: z.number(),
  user: z.string(),
  clientId: z.string(),
  transport: z.string(),
  command: z.string(),
  /** Parameters with secrets and large payloads elided (see electron/host/audit-summary.ts). */
  args: z.unknown(),
  ok: z.boolean(),
  code: z.string().optional(),
  ms: z.number(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

const accessCommands = {
  'control.request': command(
    none,
    z.object({ granted: z.boolean(), holder: z.string().nullable() }),
    'Ask for control: granted at once when nobody holds it, else the holder is asked (control.handOver).',
  ),
  'control.release': command(
    none,
    none,
    'Give up control; nobody holds it until the next request.',
  ),
  'control.handOver': command(
    z.object({ clientId: z.string().min(1).max(128) }).strict(),
    none,
    'Hand control to another connected client (the holder consents to its request).',
  ),
  'control.take': command(
    none,
    none,
    'Take control: succeeds when the lease has expired or was released; the instrument window always may.',
  ),
  'control.heartbeat': command(
    none,
    z.object({ expiresAtMs: z.number() }),
    'Keep the control lease alive (the holder; WebSocket pongs count too).',
  ),
  'audit.query': command(
    z
      .object({
        user: z.string().max(128).optional(),
        command: z.string().max(128).optional(),
        sinceMs: finite.optional(),
        untilMs: finite.optional(),
        limit: z.number().int().min(1).max(10_000).optional(),
      })
      .strict(),
    z.object({ entries: z.array(auditEntrySchema) }),
    'Audit trail entries, oldest first, filtered by user, command (exact or "prefix.*") and time (epoch ms).',
  ),
} as const;
export type AccessCommandName = keyof typeof accessCommands;

/**
 * Who may run each command. `read`: anyone signed in. `mutating`: only the control-lease
 * holder, and only an operator. `control`: lease management (operators; the lease decides).
 * `safety`: everyone, always — stopping motion, switching light off and the e-stop are never
 * refused for access reasons.
 * Every command must appear here (the type requires it; test/electron/api/command-access.test.ts checks at run time).
 */
export type CommandAccess = 'read' | 'mutating' | 'control' | 'safety';

export const commandAccess: Record<CommandName, CommandAccess> = {
  estop: 'safety',
  'safety.reset': 'mutating',
  'stage.moveTo': 'mutating',
  'stage.moveBy': 'mutating',
  'stage.stop': 'safety',
  'focus.moveTo': 'mutating',
  'focus.moveBy': 'mutating',
  'focus.stop': 'safety',
  'laser.setEmission': 'mutating',
  'laser.setPower': 'mutating',
  'laser.allOff': 'safety',
  'camera.setExposure': 'mutating',
  'camera.setBinning': 'mutating',
  'camera.setRoi': 'mutating',
  'camera.startLive': 'mutating',
  'camera.stopLive': 'mutating',
  'camera.snap': 'mutating',
  'channel.apply': 'mutating',
  'run.start': 'mutating',
  'plan.estimate': 'read',
  'run.pause': 'mutating',
  'run.resume': 'mutating',
  'run.cancel': 'mutating',
  'upload.enqueue': 'mutating',
  'upload.pause': 'mutating',
  'upload.resume': 'mutating',
  'upload.cancel': 'mutating',
  'upload.retry': 'mutating',
  'device.reconnect': 'mutating',
  'stage.confirmPosition': 'mutating',
  'focus.confirmPosition': 'mutating',
  'datasets.refresh': 'read',
  'shutter.setAuto': 'mutating',
  'autofocus.run': 'mutating',
  'rois.find': 'mutating',
  'focusLock.calibrate': 'mutating',
  'focusLock.lock': 'mutating',
  'focusLock.unlock': 'mutating',
  'focusLock.setOffset': 'mutating',
  'automation.start': 'mutating',
  'automation.pause': 'mutating',
  'automation.resume': 'mutating',
  'automation.cancel': 'mutating',
  'control.request': 'control',
  'control.release': 'control',
  'control.handOver': 'control',
  'control.take': 'control',
  'control.heartbeat': 'control',
  'audit.query': 'read',
};

/** A signed-in user or client as shown in state (never a token). */
export interface ControlClient {
  clientId: string;
  user: string;
  role: Role;
  transport: string;
  connectedAtMs: number;
}

/** The control lease: who may run mutating commands, who watches, who asked. */
export interface ControlState {
  holder: (ControlClient & { sinceMs: number; expiresAtMs: number | null }) | null;
  clients: ControlClient[];
  /** Clients that asked for control, oldest first (the holder may hand over to them). */
  requests: { clientId: string; user: string; atMs: number }[];
}

// ----------------------------------------------------- end of access control block

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
  'autofocus.run': command(
    autofocusParams,
    autofocusResult,
    'Software autofocus around the current Z (coarse-to-fine on the live camera); returns the focus curve. Fails with E_AUTOFOCUS and Z back at its start when no focus is found.',
  ),
  'rois.find': command(
    roiFindOptions
      .extend({
        /** Snap a fresh frame (default) or analyse the last frame on the frame bus. */
        source: z.enum(['snap', 'last']).optional(),
      })
      .strict(),
    z.object({
      frameSeq: z.number().int(),
      widthPx: z.number().int(),
      heightPx: z.number().int(),
      rois: z.array(foundRoiView),
    }),
    'Find ROIs (cells, beads) in a fresh snap or the last frame; best first, in pixels and stage µm.',
  ),
  'focusLock.calibrate': command(
    z
      .object({
        spanUm: z.number().finite().positive().max(200).optional(),
        steps: z.number().int().min(3).max(200).optional(),
      })
      .strict(),
    z.object({ pxPerUm: finite, residualPx: finite }),
    'Calibrate the focus lock: focus-sensor pixels per µm of Z, by stepping Z around the current position.',
  ),
  'focusLock.lock': command(
    none,
    none,
    'Engage the focus lock at the current Z (plus the offset).',
  ),
  'focusLock.unlock': command(none, none, 'Release the focus lock.'),
  'focusLock.setOffset': command(
    z.object({ offsetUm: finite.min(-100).max(100) }).strict(),
    none,
    'Set the focus-lock offset (µm above the locked plane).',
  ),
  'automation.start': command(
    z
      .object({
        /** A FLImP-style plan (docs/automation.md); omitted when resuming from `resume`. */
        plan: z.record(z.string(), z.unknown()).optional(),
        /** Run name (run folder and dataset prefix); default: the plan's name + a timestamp. */
        name: z
          .string()
          .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/, 'letters, digits, ".", "-", "_"')
          .optional(),
        /** A run folder to resume from its journal; finished ROIs are not imaged again. */
        resume: z.string().min(1).optional(),
        operator: z.string().max(128).optional(),
      })
      .strict()
      .refine((p) => p.plan !== undefined || p.resume !== undefined, {
        message: 'give a plan, or resume: a run folder',
      }),
    z.object({ dir: z.string(), tiles: z.number().int(), resumed: z.boolean() }),
    'Start an unattended FLImP-style run (scan tiles, find ROIs, image each until bleached); one run at a time, not during an MDA run.',
  ),
  'automation.pause': command(
    none,
    none,
    'Pause the automation run at the next frame boundary (lasers off).',
  ),
  'automation.resume': command(none, none, 'Resume a paused automation run.'),
  'automation.cancel': command(
    none,
    none,
    'Cancel the automation run at the next frame boundary; lasers off, the report is written.',
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
  ...accessCommands,
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
