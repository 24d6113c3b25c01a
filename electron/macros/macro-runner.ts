/**
 * The host side of one running macro: starts its sandbox worker, answers its requests
 * (each API call goes through `env.call`, i.e. the dispatcher, as the macro's own client),
 * keeps its console and progress, enforces the wall-time budget and aborts. After an abort
 * or a failure it stops motion, switches every laser off and cancels any run the macro
 * started, through the same safety commands every client uses.
 */
import { MessageChannel } from 'node:worker_threads';
import type { CallOutcome } from '../api/bridge';
import type { ApiError, AppState } from '../api/contract';
import { spawnWorker } from '../../drivers/workers';
import type { FrameBus } from '../host/frame-bus';
import type { MacroClock } from './macro-clock';
import type { MacroConsoleLine, MacroPhase } from '../api/macro-schema';
import {
  ABORT_REASONS,
  type AbortReason,
  type SandboxFailure,
  type SandboxLimits,
  type SandboxMessage,
  type SandboxReply,
} from './protocol';
import { FrameHold } from './frame-hold';
import { SnapshotPublisher, type SnapshotRead } from './read-snapshot';
import { toApiError } from './macro-error';
import type { PositionMapper } from './source-map';

export interface MacroEnv {
  /**
   * One API command as this macro's client (validation, safety layer, lease, audit).
   * `cleanUp`: the host's own stop / lights-off / cancel after the macro ended.
   */
  call(name: string, args: unknown, cleanUp?: boolean): Promise<CallOutcome<unknown>>;
  bus: FrameBus;
  state(): AppState;
  /** Resolves when the MDA run (`run`) or automation run (`automation`) is idle. */
  whenIdle(what: 'run' | 'automation'): Promise<unknown>;
  /** Called once, when the sandbox is up: macro time starts then. */
  clock(): MacroClock;
}

export interface MacroRunOptions {
  filename: string;
  /** JavaScript (transpiled already). */
  source: string;
  /** Transpiled macros: a position in `source` → in the macro as written. */
  mapPosition?: PositionMapper;
  params: Record<string, string | number | boolean>;
  commandNames: string[];
  /** Of those, the read-only ones the sandbox asks synchronously (protocol.ts `syncCommands`). */
  syncCommands: string[];
  /**
   * Of those, the ones answered from the state snapshot in shared memory (read-snapshot.ts):
   * `answer` gives what the command's handler would, from the state (throws: ask the host).
   */
  snapshotReads: readonly SnapshotRead<AppState>[];
  limits: SandboxLimits;
  wallMs: number;
  env: MacroEnv;
  /** Dry run: a call the host refuses is recorded and resolves to null, so every refusal is found. */
  continueOnRefusal?: boolean;
  /**
   * Dry run: the clock is held while the sandbox computes (from the start and each reply to
   * its next `idle`), so device waits it overlaps with its own work are not skipped.
   */
  holdClockWhileBusy?: boolean;
  onChange(): void;
  onCall?(name: string, args: unknown, outcome: CallOutcome<unknown>): void;
  /** Snapshot answers the sandbox gave (never through the dispatcher), per command, in batches. */
  onReads?(counts: Record<string, number>): void;
}

export const MAX_CONSOLE_LINES = 500;
/** A worker whose interrupt handler did not stop it within this is terminated. */
const ABORT_GRACE_MS = 250;
/** Dry runs record and skip calls refused with these; any other failure still throws. */
export const REFUSAL_CODES = new Set(['E_LIMIT', 'E_ESTOP', 'E_POSITION_UNTRUSTED', 'E_INVALID']);

export class MacroRunner {
  phase: MacroPhase = 'running';
  error: ApiError | null = null;
  progress: { fraction: number; message: string } | null = null;
  readonly console: MacroConsoleLine[] = [];
  consoleDropped = 0;
  calls = 0;
  readonly done: Promise<void>;

  private readonly flag = new SharedArrayBuffer(4);
  private readonly callSignal = new Int32Array(new SharedArrayBuffer(4));
  private readonly callChannel = new MessageChannel();
  private readonly snapshot: SnapshotPublisher<AppState>;
  private readonly commands: ReadonlySet<string>;
  private readonly abortCtl = new AbortController();
  private readonly frames = new FrameHold();
  private readonly started = new Set<'run' | 'automation'>();
  private readonly worker;
  private wallTimer: NodeJS.Timeout;
  private stopRequested: AbortReason | null = null;
  private resolveDone!: () => void;
  private clock: MacroClock | null = null;
  /** Ends the clock hold while the sandbox computes (holdClockWhileBusy). */
  private endBusy: (() => void) | null = null;

  constructor(private readonly o: MacroRunOptions) {
    this.done = new Promise((r) => (this.resolveDone = r));
    this.commands = new Set(o.commandNames);
    const callPort = this.callChannel.port2;
    this.snapshot = new SnapshotPublisher(o.snapshotReads);
    this.refreshSnapshot();
    this.worker = spawnWorker(
      new URL('./sandbox.worker.ts', import.meta.url),
      {
        source: o.source,
        filename: o.filename,
        commandNames: o.commandNames,
        syncCommands: o.syncCommands,
        params: o.params,
        limits: o.limits,
        abortFlag: this.flag,
        callPort,
        callSignal: this.callSignal.buffer,
        snapshotCommands: this.snapshot.names,
        snapshot: this.snapshot.memory,
        reportIdle: o.holdClockWhileBusy === true,
      },
      { transferList: [callPort] },
    );
    this.worker.on('message', (m: SandboxMessage) => void this.onMessage(m));
    this.worker.on('error', (err) =>
      this.settle({ name: 'Error', message: `macro worker failed: ${err.message}` }),
    );
    this.worker.on('exit', () =>
      this.settle({
        name: 'Error',
        message: this.stopRequested ? 'stopped' : 'macro worker exited',
        limit: this.stopRequested ?? undefined,
      }),
    );
    this.wallTimer = setTimeout(() => this.stop('wall-time'), o.wallMs);
    this.wallTimer.unref();
  }

  /** Publishes the snapshot answers for the current state (call on every state change). */
  refreshSnapshot(): void {
    this.snapshot.refresh(this.o.env.state());
  }

  /** Stops the macro (abort or wall time): its interrupt handler sees the flag at once. */
  stop(reason: AbortReason): void {
    if (this.phase !== 'running' || this.stopRequested) return;
    this.stopRequested = reason;
    Atomics.store(new Int32Array(this.flag), 0, ABORT_REASONS.indexOf(reason) + 1);
    Atomics.notify(this.callSignal, 0);
    this.abortCtl.abort(new Error(reason));
    // A worker parked on a host reply polls nothing: it is terminated after the grace.
    setTimeout(() => void this.worker.terminate(), ABORT_GRACE_MS).unref();
  }

  private log(level: MacroConsoleLine['level'], text: string): void {
    this.console.push({ timeMs: Date.now(), level, text: text.slice(0, 2_000) });
    if (this.console.length > MAX_CONSOLE_LINES) {
      this.console.shift();
      this.consoleDropped += 1;
    }
    this.o.onChange();
  }

  private async onMessage(m: SandboxMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.clock ??= this.o.env.clock();
        return this.busy();
      case 'idle':
        return this.idle();
      case 'log':
        return this.log(m.level, String(m.text));
      case 'progress':
        this.progress = {
          fraction: Number.isFinite(m.fraction) ? Math.min(1, Math.max(0, m.fraction)) : 0,
          message: String(m.message).slice(0, 500),
        };
        return this.o.onChange();
      case 'reads':
        return this.countReads(m.counts);
      case 'done':
        return this.settle(m.ok ? null : m.error);
      default:
        return this.answer(m.id, () => this.request(m), 'sync' in m && m.sync === true);
    }
  }

  private countReads(counts: Record<string, number>): void {
    const valid = this.snapshot.validCounts(counts);
    const total = Object.values(valid).reduce((a, b) => a + b, 0);
    if (total === 0) return;
    this.calls += total;
    this.o.onReads?.(valid);
  }

  private async answer(
    id: number,
    work: () => Promise<SandboxReply | undefined>,
    sync: boolean,
  ): Promise<void> {
    let reply: SandboxReply | undefined;
    try {
      reply = await work();
      if (!reply) return;
    } catch (err) {
      const e = err as { name?: string; code?: string; message?: string };
      reply = {
        type: 'reply',
        id,
        ok: false,
        errorJson: JSON.stringify({
          name: e.name ?? 'Error',
          code: e.code ?? 'E_MACRO',
          message: e.message ?? String(err),
        }),
      };
    }
    if (this.phase !== 'running') return;
    reply.id = id;
    if (sync) {
      this.callChannel.port1.postMessage(reply);
      Atomics.add(this.callSignal, 0, 1);
      Atomics.notify(this.callSignal, 0);
      return;
    }
    this.busy();
    this.worker.postMessage(reply, 'pixels' in reply ? [reply.pixels.buffer as ArrayBuffer] : []);
  }

  private busy(): void {
    if (!this.o.holdClockWhileBusy || this.endBusy || !this.clock) return;
    this.clock.hold(new Promise<void>((resolve) => (this.endBusy = resolve)));
  }

  private idle(): void {
    this.endBusy?.();
    this.endBusy = null;
  }

  private async request(
    m: Exclude<SandboxMessage, { type: 'ready' | 'log' | 'progress' | 'done' | 'reads' | 'idle' }>,
  ): Promise<SandboxReply> {
    const ok = (json: string): SandboxReply => ({ type: 'reply', id: m.id, ok: true, json });
    switch (m.type) {
      case 'call':
        return this.call(m.id, m.name, m.argsJson);
      case 'sleep': {
        const ms = Number.isFinite(m.ms) ? Math.max(0, m.ms) : 0;
        this.clock ??= this.o.env.clock();
        if (ms > 0) await this.clock.sleep(ms, this.abortCtl.signal);
        return ok('null');
      }
      case 'wait': {
        if (m.what !== 'run' && m.what !== 'automation')
          throw new TypeError(`aquila.wait: "run" or "automation", not ${JSON.stringify(m.what)}`);
        await this.o.env.whenIdle(m.what);
        const s = this.o.env.state();
        return ok(JSON.stringify(m.what === 'run' ? s.run : s.automation));
      }
      case 'state':
        return ok(JSON.stringify(this.o.env.state()));
      case 'pixels':
        return {
          type: 'reply',
          id: m.id,
          ok: true,
          pixels: this.frames.pixels(m.seq, m.roiJson),
        } as SandboxReply;
    }
  }

  private async call(id: number, name: string, argsJson: string): Promise<SandboxReply> {
    if (!this.commands.has(name)) throw new TypeError(`aquila: no command ${JSON.stringify(name)}`);
    const args: unknown = JSON.parse(argsJson);
    this.calls += 1;
    const outcome = await this.o.env.call(name, args);
    this.o.onCall?.(name, args, outcome);
    if (!outcome.ok) {
      if (this.o.continueOnRefusal && REFUSAL_CODES.has(outcome.error.code))
        return { type: 'reply', id, ok: true, json: 'null' };
      return { type: 'reply', id, ok: false, errorJson: JSON.stringify(outcome.error) };
    }
    if (name === 'run.start') this.started.add('run');
    if (name === 'automation.start') this.started.add('automation');
    let value = outcome.value;
    if (name === 'camera.snap')
      value = this.frames.hold(this.o.env.bus.latest, (value as { seq: number }).seq);
    return { type: 'reply', id, ok: true, json: value === undefined ? '' : JSON.stringify(value) };
  }

  private settle(failure: SandboxFailure | null): void {
    if (this.phase !== 'running') return;
    clearTimeout(this.wallTimer);
    this.idle();
    this.abortCtl.abort(new Error('macro ended'));
    const stopped = this.stopRequested;
    if (!failure) this.phase = 'finished';
    else {
      this.phase = stopped === 'aborted' ? 'aborted' : 'failed';
      if (failure.line !== undefined && this.o.mapPosition) {
        const at = this.o.mapPosition(failure.line, failure.column ?? 1);
        failure = { ...failure, line: at.line, column: at.column };
      }
      this.error = toApiError(failure, stopped, this.o.filename);
      this.log('error', this.error.message);
    }
    void this.worker.terminate();
    this.callChannel.port1.close();
    this.o.onChange();
    void (failure ? this.makeSafe() : Promise.resolve()).finally(() => this.resolveDone());
  }

  /** Motion stopped, lasers off, the macro's own runs cancelled (errors are logged, not thrown). */
  private async makeSafe(): Promise<void> {
    const s = this.o.env.state();
    const calls: string[] = [];
    if (s.stage) calls.push('stage.stop');
    if (s.focus) calls.push('focus.stop');
    calls.push('laser.allOff');
    if (this.started.has('run') && (s.run?.state === 'running' || s.run?.state === 'paused'))
      calls.push('run.cancel');
    if (this.started.has('automation') && s.automation && !isAutomationOver(s.automation.phase))
      calls.push('automation.cancel');
    for (const name of calls) {
      const r = await this.o.env.call(name, {}, true);
      if (!r.ok) this.log('error', `after the macro ended, ${name} failed: ${r.error.message}`);
    }
    for (const what of this.started) await this.o.env.whenIdle(what);
    this.o.onChange();
  }
}

function isAutomationOver(phase: string): boolean {
  return phase === 'finished' || phase === 'failed' || phase === 'cancelled';
}
