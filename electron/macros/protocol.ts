/**
 * Messages between the macro host (macro-runner.ts) and its sandbox worker
 * (sandbox.worker.ts). Everything crossing is plain data: JSON text for values from the
 * sandbox (parsed and schema-checked by the dispatcher like any client's input), structured
 * clones the other way. Nothing the worker sends is trusted.
 */
import type { MessagePort } from 'node:worker_threads';

/** Why the worker's interrupt handler stops the macro (written by the host into `abortFlag`). */
export const ABORT_REASONS = ['aborted', 'wall-time'] as const;
export type AbortReason = (typeof ABORT_REASONS)[number];

export interface SandboxLimits {
  /** QuickJS heap limit, bytes. */
  memoryBytes: number;
  /** QuickJS stack limit, bytes. */
  stackBytes: number;
  /** Interrupt-handler polls (≈ 10,000 bytecode operations each) before the macro is stopped. */
  workPolls: number;
}

export interface SandboxInit {
  /** JavaScript (already transpiled from TypeScript), evaluated as an ES module. */
  source: string;
  /** Shown in error locations, e.g. `z-stack.js`. */
  filename: string;
  /** API command names the macro may call (`aquila.stage.moveTo` → `stage.moveTo`). */
  commandNames: string[];
  params: Record<string, string | number | boolean>;
  limits: SandboxLimits;
  /** Int32 [0]: 0 = run, else 1 + index into ABORT_REASONS. Read by the interrupt handler. */
  abortFlag: SharedArrayBuffer;
  /**
   * The synchronous call channel: commands in `syncCommands` (read-only ones) and `state` are
   * asked with `sync: true`; the host posts the reply on `callPort`, then adds 1 to Int32 [0]
   * of `callSignal` and notifies it. The worker blocks in `Atomics.wait` meanwhile (waking on
   * an abort too), so such a call needs no QuickJS promise job pumping and no event-loop turn.
   */
  syncCommands: string[];
  callPort: MessagePort;
  callSignal: SharedArrayBuffer;
  /**
   * Read-only commands answered from shared memory without asking the host (read-snapshot.ts),
   * slot i for `snapshotCommands[i]`, when called without arguments; an empty slot falls back
   * to the synchronous channel. The worker reports how many it answered (`reads`), for the
   * audit trail.
   */
  snapshotCommands: string[];
  snapshot: SharedArrayBuffer;
  /** Dry runs: say `idle` whenever the macro waits for the host (its simulated clock may then skip). */
  reportIdle?: boolean;
}

/** Host operations the sandbox awaits (each gets one `reply`). */
export type SandboxRequest =
  | { type: 'call'; id: number; name: string; argsJson: string; sync?: true }
  | { type: 'sleep'; id: number; ms: number }
  | { type: 'pixels'; id: number; seq: number; roiJson: string }
  | { type: 'wait'; id: number; what: string }
  | { type: 'state'; id: number; sync?: true };

export type SandboxMessage =
  | SandboxRequest
  /** The sandbox is up; the macro starts now (its clock starts here). */
  | { type: 'ready' }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; text: string }
  | { type: 'progress'; fraction: number; message: string }
  /** Snapshot answers given since the last `reads` (sent before any other request and at the end). */
  | { type: 'reads'; counts: Record<string, number> }
  /** Nothing to run until a reply (`reportIdle` only); the host's next reply makes it busy again. */
  | { type: 'idle' }
  | { type: 'done'; ok: true }
  | { type: 'done'; ok: false; error: SandboxFailure };

/** How a macro failed, with the macro source location when known. */
export interface SandboxFailure {
  name: string;
  code?: string;
  message: string;
  line?: number;
  column?: number;
  /** The budget that stopped it: `memory`, `stack`, `work`, `wall-time`, or `aborted`. */
  limit?: string;
  details?: Record<string, unknown>;
}

export type SandboxReply =
  | { type: 'reply'; id: number; ok: true; json: string }
  | { type: 'reply'; id: number; ok: true; pixels: Uint16Array }
  | { type: 'reply'; id: number; ok: false; errorJson: string };
