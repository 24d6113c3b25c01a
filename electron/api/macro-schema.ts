/**
 * Macros (issue #15; docs/macros.md): sandboxed JavaScript/TypeScript on this API. Their
 * commands, their state (`AppState.macros`) and `stage.position`, the cheap read macros and
 * scripts poll.
 */
import { z } from 'zod';
import { command, finite, none } from './schema-parts';

export type MacroPhase = 'running' | 'finished' | 'failed' | 'aborted';

export interface MacroConsoleLine {
  timeMs: number;
  level: 'info' | 'warn' | 'error';
  text: string;
}

/** A dry run's account (what the real run would do), see electron/macros/dry-run.ts. */
export interface DryRunReport {
  durationS: number;
  /**
   * The part of `durationS` the macro spent in `aquila.sleep`: modelled exactly in a dry run
   * (skipped, added to the clock), waited in a real one. The rest is device calls and script.
   */
  sleptS: number;
  frames: number;
  bytes: number;
  stageTravelUm: number;
  focusTravelUm: number;
  /** Energy each laser line emitted, mJ (mW·ms / 1000): all emission, switching and read-out included. */
  laserDoseMj: Record<string, number>;
  /** The part of it emitted while the camera exposed (what the frames' `doseMwMs` sum to), mJ. */
  exposureDoseMj: Record<string, number>;
  /** Every call the host refused, with where in the macro. */
  refusals: { command: string; code: string; message: string }[];
}

export interface MacroView {
  id: string;
  /** Library name or `(inline)`. */
  name: string;
  dryRun: boolean;
  phase: MacroPhase;
  user: string;
  startedAtMs: number;
  endedAtMs: number | null;
  progress: { fraction: number; message: string } | null;
  /** The newest console lines (bounded); `consoleDropped` older ones were dropped. */
  console: MacroConsoleLine[];
  consoleDropped: number;
  calls: number;
  error: { code: string; message: string; details?: Record<string, unknown> } | null;
  report: DryRunReport | null;
}

const macroParamValue = z.union([z.string(), finite, z.boolean()]);

export const macroLimits = z
  .object({
    wallS: finite
      .positive()
      .max(7 * 24 * 3600)
      .optional(),
    memoryMb: finite.min(4).max(1024).optional(),
    /** Interrupt polls (≈ 10,000 bytecode operations each). */
    workPolls: z.number().int().min(1).max(1e12).optional(),
  })
  .strict();

const macroSummary = z.object({
  id: z.string(),
  name: z.string(),
  phase: z.enum(['running', 'finished', 'failed', 'aborted']),
});

export const macroCommands = {
  'macro.start': command(
    z
      .object({
        /** A library macro (`macro.list`), or… */
        name: z.string().min(1).max(200).optional(),
        /** …the source itself. */
        source: z.string().max(1_000_000).optional(),
        language: z.enum(['js', 'ts']).optional(),
        /** Names an inline source in error locations and state, e.g. `scan.js`. */
        label: z
          .string()
          .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/, 'letters, digits, ".", "-", "_"')
          .optional(),
        params: z.record(z.string(), macroParamValue).optional(),
        limits: macroLimits.optional(),
        /** Run on a simulated twin of this instrument with simulated time; `report` in its view. */
        dryRun: z.boolean().optional(),
      })
      .strict()
      .refine((p) => (p.name === undefined) !== (p.source === undefined), {
        message: 'give either name (a library macro) or source',
      }),
    z.object({ id: z.string() }),
    'Start a macro (library name or source) in the sandbox as its own client (dryRun: on a simulated twin); watch it in state.macros.',
  ),
  'macro.status': command(
    z.object({ id: z.string().min(1) }).strict(),
    z.custom<MacroView>(),
    'One macro: phase, progress, console, error (with line:column), dry-run report.',
  ),
  'macro.abort': command(
    z.object({ id: z.string().min(1).optional() }).strict(),
    z.object({ aborted: z.array(macroSummary) }),
    'Abort a macro (default: every running one) within 1 s: motion stops, lasers off, its runs cancelled.',
  ),
  'macro.list': command(
    none,
    z.object({
      macros: z.array(
        z.object({
          name: z.string(),
          folder: z.enum(['examples', 'user']),
          language: z.enum(['js', 'ts']),
          summary: z.string(),
          source: z.string(),
        }),
      ),
      running: z.array(macroSummary),
    }),
    'The macro library (shipped examples and the user folder) and the macros running now.',
  ),
  'macro.typings': command(
    none,
    z.object({
      /** `aquila.d.ts`, generated from this contract. */
      dts: z.string(),
      /** Editor completions: `aquila.stage.moveTo` with its signature and summary. */
      completions: z.array(z.object({ label: z.string(), detail: z.string(), info: z.string() })),
    }),
    'The macro API typings (aquila.d.ts) and editor completions, generated from the API contract.',
  ),
  'stage.position': command(
    none,
    z.object({ xUm: finite, yUm: finite, zUm: finite.nullable() }),
    'The stage position as last read (µm); zUm is null without a focus drive.',
  ),
} as const;
export type MacroCommandName = keyof typeof macroCommands;
