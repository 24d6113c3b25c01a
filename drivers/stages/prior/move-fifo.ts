/**
 * The ProScan's moves in the order they were sent. In standard mode the controller runs
 * queued moves one after another and answers each with one `R` when it ends (protocols.md
 * §2.2), so the n-th `R` ends the n-th move still pending. A refused move is answered with
 * `E,n` at once, so an unasked error belongs to the newest move.
 */

export type MoveOutcome = 'ended' | 'stopped';

export class PendingMove {
  outcome: MoveOutcome | undefined;
  error: Error | undefined;
  readonly settled: Promise<void>;
  private settle!: () => void;

  constructor() {
    this.settled = new Promise<void>((resolve) => (this.settle = resolve));
  }

  finish(outcome: MoveOutcome, error?: Error): void {
    if (this.outcome || this.error) return;
    if (error) this.error = error;
    else this.outcome = outcome;
    this.settle();
  }

  /** Resolves true when settled within `ms` (rethrowing its error), false otherwise. */
  async within(ms: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>(
      (r) => (timer = setTimeout(() => r(false), Math.max(0, ms))),
    );
    const done = await Promise.race([this.settled.then(() => true as const), timeout]);
    clearTimeout(timer);
    if (this.error) throw this.error;
    return done;
  }
}

export class MoveFifo {
  private readonly moves: PendingMove[] = [];

  get size(): number {
    return this.moves.length;
  }

  /** Call in the same synchronous step as writing the move, so the order matches the wire. */
  add(): PendingMove {
    const m = new PendingMove();
    this.moves.push(m);
    return m;
  }

  remove(m: PendingMove): void {
    const i = this.moves.indexOf(m);
    if (i >= 0) this.moves.splice(i, 1);
  }

  isHead(m: PendingMove): boolean {
    return this.moves[0] === m;
  }

  /** One `R` arrived: the oldest pending move ended. An `R` with nothing pending is ignored. */
  ended(): void {
    this.moves.shift()?.finish('ended');
  }

  /** An unasked `E,n`: the newest move was refused. */
  refused(error: Error): void {
    this.moves.pop()?.finish('ended', error);
  }

  /** `K` answered: every pending move is over, wherever the axes halted. */
  stopped(): void {
    for (const m of this.moves.splice(0)) m.finish('stopped');
  }

  /** The port is gone: every pending move fails with `error`. */
  lost(error: Error): void {
    for (const m of this.moves.splice(0)) m.finish('ended', error);
  }
}
