/**
 * Running macros: starts each in its sandbox as its own API client (`macro:<id>`, acting for
 * the user who started it), publishes them in `state.macros`, aborts them. Every call a
 * macro makes goes through `call` — the dispatcher — so validation, the safety layer, the
 * control lease and the audit trail apply exactly as to any other client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NotControllerError, StateError, ValidationError } from '../../drivers/errors';
import type { CallOutcome } from '../api/bridge';
import type { ApiError, AppState, MacroView } from '../api/contract';
import { commandAccess, commandNames, isCommandName } from '../api/contract';
import type { CallContext } from '../host/command-handlers';
import type { CallObserver } from '../host/dispatcher';
import { identityOf } from '../host/control-lease';
import type { FrameBus } from '../host/frame-bus';
import type { StateStore } from '../host/state-store';
import { MacroRecorder, type RecordedHost, type RecorderHostOptions } from './dry-run';
import { macroClock, type MacroClock } from './macro-clock';
import { stagePosition } from './macro-handlers';
import { listLibrary, loadMacro, type LibraryDirs } from './macro-library';
import { MacroRunner, type MacroRunOptions } from './macro-runner';
import { toJavaScript } from './transpile';

/** Defaults for `limits` (docs/macros.md). */
export const DEFAULT_LIMITS = {
  wallS: 12 * 3600,
  memoryMb: 64,
  workPolls: 50_000_000,
  stackBytes: 512 * 1024,
};

/** Commands a macro does not see: no macros starting macros, no lease juggling. */
const HIDDEN_PREFIXES = ['macro.', 'control.'];
export const MACRO_COMMANDS = commandNames.filter(
  (n) => !HIDDEN_PREFIXES.some((p) => n.startsWith(p)),
);
/** Read-only commands: asked over the synchronous call channel (protocol.ts). */
export const MACRO_SYNC_COMMANDS = MACRO_COMMANDS.filter(
  (n) => isCommandName(n) && commandAccess[n] === 'read',
);

/**
 * Read-only commands a macro reads from the host's state snapshot in shared memory, with no
 * call to the host (read-snapshot.ts); each answer is the command's own handler's.
 */
export const MACRO_SNAPSHOT_READS = [{ name: 'stage.position', answer: stagePosition }];

const MAX_KEPT = 20;
const PUBLISH_EVERY_MS = 100;

export interface MacroStart {
  name?: string;
  source?: string;
  language?: 'js' | 'ts';
  label?: string;
  params?: Record<string, string | number | boolean>;
  limits?: { wallS?: number; memoryMb?: number; workPolls?: number };
  dryRun?: boolean;
  /** Host-internal: the id a dry run's twin gives the macro (the real host's id for it). */
  asId?: string;
}

/** A host on the simulated twin of this instrument, for API dry runs (built by host.ts). */
export type DryHost = RecordedHost & {
  macros: MacroService;
  shutdown(reason: string): Promise<void>;
};
export type DryHostFactory = (scratchDir: string, options: RecorderHostOptions) => Promise<DryHost>;

export interface MacroServiceDeps {
  store: StateStore;
  bus: FrameBus;
  call(name: string, args: unknown, ctx: CallContext): Promise<CallOutcome<unknown>>;
  whenIdle(what: 'run' | 'automation'): Promise<unknown>;
  library: LibraryDirs;
  /** Each macro's clock, made when its sandbox is up (default: real time). */
  clock?: () => MacroClock;
  /** Dry runs: refused calls are reported to `onCall` and resolve to null instead of throwing. */
  dryRun?: { onCall: NonNullable<MacroRunOptions['onCall']> };
  /** Builds the simulated twin `macro.start {dryRun: true}` runs on (absent: dry runs refused). */
  dryHost?: DryHostFactory;
  /**
   * The audit trail, for what a macro does that never reaches the dispatcher: calls refused
   * because its starter lost control, and reads answered from the state snapshot (batched).
   */
  audit?: CallObserver;
}

export interface MacroEntry {
  view: Omit<MacroView, 'console' | 'consoleDropped' | 'progress' | 'phase' | 'error' | 'calls'>;
  runner: MacroRunner;
  /** The macro ended and its clean-up (and a dry run's report) is done. */
  settled: Promise<void>;
}

export class MacroService {
  private readonly runs = new Map<string, MacroEntry>();
  private seq = 0;
  private publishTimer: NodeJS.Timeout | null = null;

  constructor(private readonly d: MacroServiceDeps) {}

  library() {
    return listLibrary(this.d.library);
  }

  async start(p: MacroStart, starter: CallContext): Promise<{ id: string }> {
    if (p.dryRun && !this.d.dryRun) return this.startDry(p, starter);
    let name = p.label?.replace(/\.(js|ts)$/, '') ?? '(inline)';
    let source = p.source;
    let language = p.language ?? 'js';
    if (p.name !== undefined) {
      const m = loadMacro(this.d.library, p.name);
      name = m.name;
      source = m.source;
      language = m.language;
    }
    if (source === undefined) throw new ValidationError('macro.start: give name or source');
    const filename = `${name === '(inline)' ? 'macro' : name}.${language}`;
    const js = await toJavaScript(source, language, filename);
    const id = p.asId ?? `m${++this.seq}`;
    const { user } = identityOf(starter);
    const ctx: CallContext = {
      clientId: `macro:${id}`,
      transport: 'internal',
      user,
      role: 'operator',
    };
    const limits = { ...DEFAULT_LIMITS, ...p.limits };
    const audit = this.d.audit;
    const runner: MacroRunner = new MacroRunner({
      filename,
      source: js.code,
      mapPosition: js.mapPosition,
      params: p.params ?? {},
      commandNames: MACRO_COMMANDS,
      syncCommands: MACRO_SYNC_COMMANDS,
      snapshotReads: MACRO_SNAPSHOT_READS,
      limits: {
        memoryBytes: limits.memoryMb * 1024 * 1024,
        stackBytes: limits.stackBytes,
        workPolls: limits.workPolls,
      },
      wallMs: limits.wallS * 1000,
      continueOnRefusal: this.d.dryRun !== undefined,
      holdClockWhileBusy: this.d.dryRun !== undefined,
      env: {
        call: (n, args, cleanUp) => {
          const refused = cleanUp ? null : leaseRefusal(n, starter, this.d.store.state);
          if (!refused) return this.d.call(n, args, ctx);
          audit?.({ name: n, args, ctx, ok: false, code: refused.code, error: refused, ms: 0 });
          return Promise.resolve({ ok: false, error: refused });
        },
        bus: this.d.bus,
        state: () => this.d.store.state,
        whenIdle: this.d.whenIdle,
        clock: this.d.clock ?? (() => macroClock()),
      },
      onChange: () => this.schedulePublish(),
      onCall: this.d.dryRun?.onCall,
      onReads: (counts) => {
        for (const [name, n] of Object.entries(counts))
          audit?.({ name, args: { snapshotReads: n }, ctx, ok: true, ms: 0 });
      },
    });
    const unmirror = this.d.store.mirror(() => runner.refreshSnapshot());
    void runner.done.then(unmirror);
    this.register(id, runner, name, user, this.d.dryRun !== undefined);
    return { id };
  }

  /** The same macro on a fresh simulated twin (own devices, datasets in a temp folder); its view here. */
  private async startDry(p: MacroStart, starter: CallContext): Promise<{ id: string }> {
    if (!this.d.dryHost) throw new StateError('Dry runs are not available on this host');
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'aquila-dry-run-'));
    const recorder = new MacroRecorder(true);
    const id = `m${++this.seq}`;
    let twin: DryHost | null = null;
    const cleanUp = async () => {
      await twin?.shutdown('dry run finished');
      rmSync(scratch, { recursive: true, force: true });
    };
    try {
      twin = await this.d.dryHost(scratch, recorder.hostOptions());
      recorder.attach(twin);
      const inner = await twin.macros.start(
        { ...p, dryRun: undefined, asId: id },
        { clientId: starter.clientId, transport: 'internal', user: identityOf(starter).user },
      );
      const runner = twin.macros.entry(inner.id).runner;
      const name = twin.macros.entry(inner.id).view.name;
      const unsubscribe = twin.store.subscribe(() => this.schedulePublish());
      const settled = runner.done.then(async () => {
        recorder.finish();
        unsubscribe();
        const e = this.runs.get(id);
        if (e) e.view.report = recorder.report();
        await cleanUp();
      });
      this.register(id, runner, name, identityOf(starter).user, true, settled);
      return { id };
    } catch (err) {
      await cleanUp();
      throw err;
    }
  }

  private register(
    id: string,
    runner: MacroRunner,
    name: string,
    user: string,
    dryRun: boolean,
    after: Promise<void> = runner.done,
  ) {
    const settled = after.then(() => {
      const e = this.runs.get(id);
      if (e) e.view.endedAtMs = Date.now();
      this.publishNow();
    });
    this.runs.set(id, {
      view: { id, name, dryRun, user, startedAtMs: Date.now(), endedAtMs: null, report: null },
      runner,
      settled,
    });
    this.prune();
    this.publishNow();
  }

  view(id: string): MacroView {
    const e = this.runs.get(id);
    if (!e)
      throw new StateError(`No macro ${id} (known: ${[...this.runs.keys()].join(', ') || 'none'})`);
    return viewOf(e);
  }

  running(): MacroView[] {
    return [...this.runs.values()].filter((e) => e.runner.phase === 'running').map(viewOf);
  }

  /** Aborts one macro or all running ones; resolves once each is safe (motion stopped, lasers off). */
  async abort(id?: string): Promise<MacroView[]> {
    const targets = id === undefined ? [...this.runs.values()] : [this.entry(id)];
    const live = targets.filter((e) => e.runner.phase === 'running');
    for (const e of live) e.runner.stop('aborted');
    await Promise.all(live.map((e) => e.settled));
    return live.map(viewOf);
  }

  /** Resolves when the macro has ended and its clean-up is done. */
  async whenDone(id: string): Promise<MacroView> {
    await this.entry(id).settled;
    return this.view(id);
  }

  async shutdown(): Promise<void> {
    await this.abort();
    if (this.publishTimer) clearTimeout(this.publishTimer);
  }

  entry(id: string): MacroEntry {
    const e = this.runs.get(id);
    if (!e) throw new StateError(`No macro ${id}`);
    return e;
  }

  private prune(): void {
    const ended = [...this.runs.entries()].filter(([, e]) => e.runner.phase !== 'running');
    for (const [id] of ended.slice(0, Math.max(0, this.runs.size - MAX_KEPT))) this.runs.delete(id);
  }

  private schedulePublish(): void {
    this.publishTimer ??= setTimeout(() => this.publishNow(), PUBLISH_EVERY_MS);
  }

  private publishNow(): void {
    if (this.publishTimer) clearTimeout(this.publishTimer);
    this.publishTimer = null;
    const views = [...this.runs.values()].map(viewOf);
    this.d.store.update((s: AppState) => {
      s.macros = views;
    });
  }
}

/**
 * A macro acts only while whoever started it may: a remote client or the window must still
 * hold control for the macro's mutating calls (safety and read calls always pass; in-process
 * starters — the CLI — are not held to the lease). Checked here, read-only: a macro's calls
 * never renew or take the lease, so a vanished browser's lease still expires and the watchdog
 * still stops the instrument.
 */
function leaseRefusal(name: string, starter: CallContext, state: AppState): ApiError | null {
  if (!isCommandName(name) || commandAccess[name] !== 'mutating') return null;
  if (starter.transport === 'cli' || starter.transport === 'internal') return null;
  const holder = state.control.holder;
  if (holder?.clientId === starter.clientId) return null;
  if (!holder && starter.transport === 'ipc') return null;
  return new NotControllerError(
    `${name} refused: ${identityOf(starter).user} (${starter.clientId}), who started this macro, no longer holds control${holder ? `; ${holder.user} (${holder.clientId}) does` : ''}`,
  ).toJSON();
}

function viewOf({ view, runner }: MacroEntry): MacroView {
  return {
    ...view,
    phase: runner.phase,
    progress: runner.progress,
    console: [...runner.console],
    consoleDropped: runner.consoleDropped,
    calls: runner.calls,
    error: runner.error
      ? {
          code: runner.error.code,
          message: runner.error.message,
          ...(runner.error.details && { details: runner.error.details }),
        }
      : null,
  };
}
