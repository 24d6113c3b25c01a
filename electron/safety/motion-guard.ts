/**
 * The safety layer's record of motion: which moves are in flight (so a stop, an e-stop or a
 * lost port makes them fail with a typed error instead of resolving where they stopped),
 * whether each axis's position is trusted (not after a reconnect: the controller may have
 * been power-cycled and count from 0 again), and the last position the host confirmed (for
 * judging jogs without touching the wire).
 */
import type { Device, XYPositionUm } from '../../drivers/devices';
import {
  DisconnectedError,
  MoveInterruptedError,
  PositionUntrustedError,
  type MoveInterruption,
} from '../../drivers/errors';

export type Axis = 'xy' | 'z';
type Position<A extends Axis> = A extends 'xy' ? XYPositionUm : number;

interface MoveTicket {
  axis: Axis;
  cause: MoveInterruption | undefined;
}

const confirmCommand: Record<Axis, string> = {
  xy: 'stage.confirmPosition',
  z: 'focus.confirmPosition',
};

export class MotionGuard {
  private readonly moves = new Set<MoveTicket>();
  private readonly untrusted = new Set<Axis>();
  private readonly known: { xy?: XYPositionUm | undefined; z?: number | undefined } = {};

  /** `onTrust` hears every change of an axis's trust (the host mirrors it into state). */
  constructor(private readonly onTrust: (axis: Axis, trusted: boolean) => void) {}

  /**
   * Watches `device` for reconnects: the first "connected" is trusted, every later
   * "connected" after a loss (automatic re-open or device.reconnect) is not.
   */
  watchReconnects(axis: Axis, device: Device): void {
    let seenConnected = false;
    let lost = false;
    device.subscribe((ev) => {
      if (ev.type !== 'connection') return;
      if (ev.state !== 'connected') {
        lost = seenConnected;
        this.known[axis] = undefined;
        return;
      }
      if (lost) this.setTrusted(axis, false);
      seenConnected = true;
      lost = false;
    });
  }

  isTrusted(axis: Axis): boolean {
    return !this.untrusted.has(axis);
  }

  assertTrusted(axis: Axis, deviceId: string): void {
    if (this.untrusted.has(axis)) throw new PositionUntrustedError(deviceId, confirmCommand[axis]);
  }

  /** The operator confirmed the position `at` (read from the device just now). */
  confirm<A extends Axis>(axis: A, at: Position<A>): void {
    this.remember(axis, at);
    this.setTrusted(axis, true);
  }

  /** The last position the host read or reached on `axis`; undefined after a loss. */
  lastKnown<A extends Axis>(axis: A): Position<A> | undefined {
    return this.known[axis] as Position<A> | undefined;
  }

  remember<A extends Axis>(axis: A, at: Position<A>): void {
    (this.known as Record<Axis, unknown>)[axis] = at;
  }

  /** Marks the moves in flight on `axes` as interrupted by `cause` (the first cause wins). */
  interrupt(axes: readonly Axis[], cause: MoveInterruption): void {
    for (const m of this.moves) if (axes.includes(m.axis)) m.cause ??= cause;
  }

  /**
   * Runs a move the layer has allowed. It resolves with the final position only if nothing
   * interrupted it; otherwise it fails with MoveInterruptedError (E_ESTOP / E_ABORTED)
   * carrying where the axis stopped (`readBack`), or null when the port is gone.
   */
  async run<A extends Axis>(
    axis: A,
    what: string,
    move: () => Promise<Position<A>>,
    readBack: () => Promise<Position<A>>,
  ): Promise<Position<A>> {
    const ticket: MoveTicket = { axis, cause: undefined };
    this.moves.add(ticket);
    try {
      const at = await move();
      this.remember(axis, at);
      if (ticket.cause) throw new MoveInterruptedError(what, ticket.cause, at);
      return at;
    } catch (err) {
      if (err instanceof MoveInterruptedError) throw err;
      if (err instanceof DisconnectedError) {
        this.known[axis] = undefined;
        throw new MoveInterruptedError(what, 'disconnect', null, { reason: err.message });
      }
      if (!ticket.cause) throw err;
      const at = await readBack().catch(() => null);
      if (at !== null) this.remember(axis, at);
      throw new MoveInterruptedError(what, ticket.cause, at, { reason: (err as Error).message });
    } finally {
      this.moves.delete(ticket);
    }
  }

  private setTrusted(axis: Axis, trusted: boolean): void {
    if (trusted === this.isTrusted(axis)) return;
    if (trusted) this.untrusted.delete(axis);
    else this.untrusted.add(axis);
    this.onTrust(axis, trusted);
  }
}
