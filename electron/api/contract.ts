/**
 * THE Aquila API, declared once. Every transport — the Electron preload bridge, HTTP +
 * WebSocket, the CLI and (later) the macro sandbox — carries exactly these commands, this
 * state and these events. Runtime schemas (zod) validate every incoming message at each
 * boundary; the TypeScript types are inferred from them, so there is no second
 * declaration that can drift. The renderer imports only types from this folder.
 */
import { z } from 'zod';
import { accessCommands } from './access-schema';
import { analysisCommands } from './analysis-schema';
import { cameraFeatureCommands } from './camera-feature-schema';
import {
  autofocusParams,
  autofocusResult,
  automationExtraCommands,
  foundRoiView,
  roiFindOptions,
} from './automation-schema';
import { macroCommands } from './macro-schema';
import { navigatorCommands } from './navigator-schema';
import { command, finite, none, nonNeg, roi, xyPosition } from './schema-parts';
import type { DatasetEntry } from './state';
import { operatorCommands } from './operator-schema';

export * from './access-schema';
export * from './analysis-schema';
export * from './automation-schema';
export * from './camera-feature-schema';
export * from './macro-schema';
export * from './navigator-schema';
export * from './schema-parts';
export * from './state';
export * from './operator-schema';

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

/** A plan problem (electron/plans/check.ts): the plan field and the limit in words. */
const planProblem = z.object({
  severity: z.enum(['error', 'warning']),
  /** The plan field, e.g. `z_plan.range`, `stage_positions[3].z`; `(top level)`: the whole plan. */
  path: z.string(),
  message: z.string(),
});
export type PlanProblem = z.infer<typeof planProblem>;

/** name → params schema, result schema, one-line summary (also printed by `aquila help`). */
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
  // Issue #16 §2: SLURM analysis hand-off (analysis-schema.ts).
  ...analysisCommands,
  ...automationExtraCommands,
  ...macroCommands,
  // Issue #17: the sample navigator.
  ...navigatorCommands,
  // Issue #18: operator-experience commands (view settings, orientation check).
  ...operatorCommands,
  // Issue #14: camera features by name (camera-feature-schema.ts).
  ...cameraFeatureCommands,
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandParams<N extends CommandName> = z.input<Commands[N]['params']>;
export type CommandResult<N extends CommandName> = z.output<Commands[N]['result']>;
export const commandNames = Object.keys(commands) as CommandName[];

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commands, name);
}

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
  'focusLock.trace': 'read',
  'rois.setVerdict': 'mutating',
  'rois.clear': 'mutating',
  'control.request': 'control',
  'control.release': 'control',
  'control.handOver': 'control',
  'control.take': 'control',
  'control.heartbeat': 'control',
  'audit.query': 'read',
  // Issue #16 §2: SLURM analysis hand-off.
  'analysis.status': 'read',
  'analysis.submit': 'mutating',
  'analysis.cancel': 'mutating',
  // Issue #15: macros. Aborting one stops motion and switches light off: like stage.stop and
  // laser.allOff it is never refused for access reasons.
  'macro.start': 'mutating',
  'macro.status': 'read',
  'macro.abort': 'safety',
  'macro.list': 'read',
  'macro.typings': 'read',
  'stage.position': 'read',
  // Issue #17: the sample navigator.
  'plan.positions': 'read',
  'navigator.frames': 'read',
  // Issue #18 §4: the controlling operator's view (the page sends it only while it holds the
  // lease, so a tab click never takes control).
  'view.set': 'mutating',
  'stage.checkOrientation': 'mutating',
  'dataset.readPlane': 'read',
  // Issue #14: camera features by name; writes need the control lease like any setting.
  'camera.listFeatures': 'read',
  'camera.getFeature': 'read',
  'camera.setFeature': 'mutating',
};
