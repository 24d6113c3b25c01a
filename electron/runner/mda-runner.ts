/**
 * Runs expanded MDA events on an AcquisitionEngine into a RunSink, as one explicit state
 * machine (run-state.ts) with a status snapshot and change notifications.
 *
 * Contract:
 * - pause() and cancel() take effect at event boundaries (and interrupt a wait for
 *   `min_start_time`); an event in progress always completes.
 * - An event whose setup or acquisition throws is recorded in `errors` and skipped; after
 *   `maxConsecutiveFailures` failed events in a row the run fails (the hardware is
 *   evidently gone). Except when a controller was lost or came back with its position
 *   not trusted (E_DISCONNECTED, E_ABORTED by disconnect, E_POSITION_UNTRUSTED): then the
 *   error is recorded and the run pauses on that event with lasers off; resume retries
 *   it. A sink error (disk full) fails the run at once; frames written
 *   before it stay in the dataset. A laser that cannot be switched off fails the run.
 * - However the run ends, lasers are switched off, the hardware snapshot taken at start is
 *   restored (then lasers off once more), and the sink is closed with the outcome.
 * - Autofocus events need `engine.autofocus`; without it the run fails before touching
 *   the hardware with "autofocus is not available yet".
 */
import {
  AquilaError,
  StateError,
  serializeError,
  type SerializedError,
} from '../../drivers/errors';
import type { MdaEvent } from '../plans/events';
import type { ChannelPresetLike } from '../plans/resolve';
import type { FrameIndex, RunOutcome, RunSink } from '../storage/layout';
import { RunClock } from './run-clock';
import { assertTransition, isTerminal } from './run-state';
import { RunProgress } from './run-progress';
import type {
  AcquiredFrame,
  AcquisitionEngine,
  EventSetup,
  HardwareSnapshot,
  RunState,
  RunStatus,
} from './types';

/** The sink could not take a frame (e.g. disk full); the run stops. */
export class SinkError extends AquilaError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_SINK', message, details);
  }
}

export interface MdaRunnerOptions {
  events: readonly MdaEvent[];
  engine: AcquisitionEngine;
  sink: RunSink;
  presets: ReadonlyMap<string, ChannelPresetLike>;
  /** Dataset frame index of an acquisition event (electron/plans/dataset-shape.ts). */
  indexOf: (event: MdaEvent) => FrameIndex;
  /** Monotonic ms clock for scheduling; default performance.now. */
  now?: () => number;
  /** Timers on the `now` clock (a dry run's simulated time, issue #15); default setTimeout. */
  after?: (ms: number, fn: () => void) => () => void;
  /**
   * Tells a simulated clock that work is under way it must not skip past (frame writes
   * between device waits, closing the dataset), so a macro sleeping meanwhile does not move
   * the run's time on.
   */
  hold?: <T>(work: Promise<T>) => Promise<T>;
  /** Epoch ms for status timestamps; default Date.now. */
  wallMs?: () => number;
  maxConsecutiveFailures?: number;
}

type Listener = (status: RunStatus) => void;

export class MdaRunner {
  private state: RunState = 'idle';
  private pauseRequested = false;
  private readonly listeners = new Set<Listener>();
  private readonly now: () => number;
  private readonly clock: RunClock;
  private readonly progress: RunProgress;
  private failure: SerializedError | null = null;

  constructor(private readonly opts: MdaRunnerOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.clock = new RunClock(this.now, opts.after);
    this.progress = new RunProgress(opts.events, opts.wallMs ?? Date.now, () =>
      this.clock.activeMs(),
    );
  }

  status(): RunStatus {
    return this.progress.snapshot(this.state, this.pauseRequested, this.failure);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Asks the run to pause at the next event boundary. */
  pause(): void {
    if (this.state !== 'running') throw new StateError(`cannot pause a run that is ${this.state}`);
    this.pauseRequested = true;
    this.clock.wake();
    this.emit();
  }

  resume(): void {
    if (this.state === 'running' && this.pauseRequested) this.pauseRequested = false;
    else if (this.state === 'paused') {
      this.pauseRequested = false;
      this.clock.resume();
      this.setState('running');
      this.clock.wake();
    } else throw new StateError(`cannot resume a run that is ${this.state}`);
    this.emit();
  }

  /** Asks the run to stop at the next event boundary; the run then restores the hardware. */
  cancel(): void {
    if (this.state !== 'running' && this.state !== 'paused')
      throw new StateError(`cannot cancel a run that is ${this.state}`);
    this.pauseRequested = false;
    this.clock.resume();
    this.setState('cancelling');
    this.clock.wake();
  }

  /** Runs every event; resolves with the final status (never rejects for run failures). */
  async run(): Promise<RunStatus> {
    this.setState('running');
    this.clock.startRun();
    this.progress.start();
    const { engine } = this.opts;
    let snapshot: HardwareSnapshot | null = null;
    try {
      this.checkRunnable();
      snapshot = await engine.snapshotHardware();
      await this.loop();
    } catch (err) {
      this.fail(err);
    }
    await this.teardown(snapshot);
    return this.status();
  }

  private checkRunnable(): void {
    const { events, engine, presets } = this.opts;
    if (!engine.autofocus && events.some((e) => e.action))
      throw new StateError(
        'autofocus is not available yet: remove autofocus_plan from the plan to run it',
      );
    const unknown = new Set(
      events
        .filter((e) => e.channel && !presets.has(e.channel.config))
        .map((e) => e.channel!.config),
    );
    if (unknown.size)
      throw new StateError(
        `channels ${[...unknown].join(', ')} are not channel presets of this config`,
      );
  }

  private async loop(): Promise<void> {
    const { events, engine } = this.opts;
    const maxFailures = this.opts.maxConsecutiveFailures ?? 10;
    let consecutiveFailures = 0;
    let timerResetAt = -1;
    for (let i = 0; i < events.length;) {
      if (!(await this.boundary())) return;
      const e = events[i]!;
      this.progress.beginEvent(i);
      if (e.reset_event_timer && timerResetAt !== i) {
        this.clock.resetTimer();
        timerResetAt = i;
      }
      if (e.min_start_time !== undefined && !(await this.clock.waitUntil(e.min_start_time * 1000)))
        continue; // woken by pause or cancel: back to the boundary, same event
      let frame: AcquiredFrame | null = null;
      try {
        if (e.action) await engine.autofocus!(e);
        else {
          await engine.setupEvent(this.setupFor(e));
          frame = await engine.acquireFrame(this.opts.sink.takeBuffer?.());
        }
        consecutiveFailures = 0;
      } catch (err) {
        const error = serializeError(err);
        this.progress.recordError(i, e, error);
        await this.lasersOffOrThrow();
        if (needsOperator(error)) {
          // Paused on this event (lasers off at the boundary); resume tries it again.
          this.pauseRequested = true;
          this.emit();
          continue;
        }
        if (++consecutiveFailures >= maxFailures)
          throw new StateError(
            `${maxFailures} events in a row failed; last: ${serializeError(err).message}`,
          );
        i++;
        this.progress.endEvent(i);
        this.emit();
        continue;
      }
      if (frame) {
        if (!e.keep_shutter_open) await this.lasersOffOrThrow();
        await this.held(this.write(frame, e, i));
      }
      i++;
      this.progress.endEvent(i);
      this.emit();
    }
  }

  /** Applies a pending pause; returns false when the run is to stop. */
  private async boundary(): Promise<boolean> {
    if (this.pauseRequested && this.state === 'running') {
      this.pauseRequested = false;
      this.clock.pause();
      this.setState('paused');
      // Nothing is exposing while paused.
      await this.lasersOffOrThrow();
      while (this.currentState() === 'paused') await this.clock.sleepUntilWoken();
    }
    return this.currentState() === 'running';
  }

  private setupFor(e: MdaEvent): EventSetup {
    const setup: EventSetup = {};
    if (e.x_pos !== undefined) setup.xUm = e.x_pos;
    if (e.y_pos !== undefined) setup.yUm = e.y_pos;
    if (e.z_pos !== undefined) setup.zUm = e.z_pos;
    const preset = e.channel ? this.opts.presets.get(e.channel.config) : undefined;
    if (preset) {
      setup.channel = { name: preset.name, laserId: preset.laserId, powerMw: preset.powerMw };
      setup.exposureMs = preset.exposureMs;
    }
    if (e.exposure !== undefined) setup.exposureMs = e.exposure;
    return setup;
  }

  private async write(frame: AcquiredFrame, e: MdaEvent, i: number): Promise<void> {
    const px = frame.pixels;
    const pixels =
      px.byteOffset === 0 && px.byteLength === px.buffer.byteLength
        ? (px.buffer as ArrayBuffer)
        : px.slice().buffer;
    const bytes = pixels.byteLength;
    const index = this.opts.indexOf(e);
    try {
      await this.opts.sink.write(
        { meta: { ...frame.meta, channel: e.channel?.config ?? '' }, pixels },
        index,
      );
    } catch (err) {
      throw new SinkError(
        `writing frame ${this.progress.framesWritten + 1} (event ${i}) failed: ${serializeError(err).message}. ` +
          `The run was stopped; the ${this.progress.framesWritten} frames written before are kept.`,
        { index, cause: serializeError(err) },
      );
    }
    this.progress.recordFrame(bytes);
  }

  private async lasersOffOrThrow(): Promise<void> {
    try {
      await this.opts.engine.lasersOff();
    } catch (err) {
      throw new StateError(`could not switch the lasers off: ${serializeError(err).message}`);
    }
  }

  private fail(err: unknown): void {
    this.failure ??= serializeError(err);
  }

  private async teardown(snapshot: HardwareSnapshot | null): Promise<void> {
    const { engine, sink } = this.opts;
    const attempt = async (what: string, f: () => Promise<unknown>) => {
      try {
        await f();
      } catch (err) {
        this.fail(
          new StateError(`${what} failed at the end of the run: ${serializeError(err).message}`),
        );
      }
    };
    await attempt('switching lasers off', () => engine.lasersOff());
    if (snapshot) await attempt('restoring the hardware', () => engine.restoreHardware(snapshot));
    await attempt('switching lasers off', () => engine.lasersOff());
    const outcome: RunOutcome = this.failure
      ? 'failed'
      : this.state === 'cancelling'
        ? 'cancelled'
        : 'complete';
    const reason =
      this.failure?.message ?? (outcome === 'cancelled' ? 'cancelled by the operator' : undefined);
    await attempt('closing the dataset', async () =>
      this.progress.setSummary(
        await this.held(sink.close(reason ? { outcome, reason } : { outcome })),
      ),
    );
    this.progress.finish();
    if (this.failure) this.setState('failed');
    else this.setState(this.state === 'cancelling' ? 'cancelled' : 'finished');
  }

  /** `work`, announced to the `hold` option's clock. */
  private held<T>(work: Promise<T>): Promise<T> {
    return this.opts.hold ? this.opts.hold(work) : work;
  }

  /** Re-read after awaits: pause/resume/cancel change the state concurrently. */
  private currentState(): RunState {
    return this.state;
  }

  private setState(next: RunState): void {
    if (next === this.state) return;
    assertTransition(this.state, next);
    this.state = next;
    this.emit();
  }

  private emit(): void {
    const s = this.status();
    for (const l of this.listeners) l(s);
  }

  get terminal(): boolean {
    return isTerminal(this.state);
  }
}

/**
 * A lost controller, or one back with its position not trusted: the same event can succeed
 * once the operator has acted (reconnected, confirmed the position), so the run pauses on
 * it with lasers off instead of skipping it and the events after it.
 */
function needsOperator(error: SerializedError): boolean {
  return (
    error.code === 'E_DISCONNECTED' ||
    error.code === 'E_POSITION_UNTRUSTED' ||
    (error.code === 'E_ABORTED' && error.details?.cause === 'disconnect')
  );
}
