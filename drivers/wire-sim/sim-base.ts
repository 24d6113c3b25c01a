/**
 * Base of every wire simulator: receives request lines from its end of a pty, answers
 * with the vendor's exact bytes, logs every command received, and injects faults.
 *
 * A simulator subclass implements `handle(line)` and returns its reply lines (the base
 * appends `replyTerminator`) or `SimReply` objects for raw bytes and per-reply delays.
 * Incoming commands are split on CR/LF (any combination), so drivers that send `\r` or
 * `\r\n` are both understood; empty lines are ignored.
 */
import type { SerialPort } from 'serialport';
import { LineSplitter } from '../serial/framing';

/** A reply line (terminator appended), or raw bytes sent as given after `delayMs`. */
export type SimReply =
  string | { raw: string; delayMs?: number } | { line: string; delayMs: number };

export interface ReceivedCommand {
  /** performance.now() when the line was complete. */
  atMs: number;
  line: string;
}

export type Fault =
  /** The command is acted on but no reply is sent (a lost reply). */
  | { kind: 'no-reply' }
  /** The reply is replaced by a garbage line. */
  | { kind: 'garbage'; text?: string }
  /** Only the first half of the reply is sent, without a terminator. */
  | { kind: 'partial-line' }
  /** The reply is sent after `delayMs`. */
  | { kind: 'slow-reply'; delayMs: number };

export abstract class WireSimulator {
  abstract readonly name: string;
  /** Appended to each reply line. */
  protected abstract readonly replyTerminator: string;
  /** Every command line received, in order, including those whose reply was faulted. */
  readonly received: ReceivedCommand[] = [];

  private port: SerialPort | undefined;
  private readonly splitter = new LineSplitter('any-eol');
  private faults: { fault: Fault; remaining: number }[] = [];
  private outQueue: Promise<void> = Promise.resolve();
  /** Bumped on detach, so replies scheduled before a vanish are never sent after it. */
  private epoch = 0;

  /** Returns the reply to one command line (already without terminator). */
  protected abstract handle(line: string): SimReply | SimReply[] | undefined;

  /** Called when the simulator is attached to a (new) port, e.g. after the pty returned. */
  protected onAttach(): void {}

  /** Puts the simulated device in its power-up state (what a power cycle leaves). */
  protected onPowerUp(): void {}

  /** The device lost power and came back: faults cleared, power-up state (see RunningWireSim.powerCycle). */
  powerUp(): void {
    this.clearFaults();
    this.onPowerUp();
  }

  /** Applies `fault` to the next `times` commands (Infinity = until clearFaults()). */
  injectFault(fault: Fault, times = 1): void {
    this.faults.push({ fault, remaining: times });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Sends bytes nobody asked for (e.g. a status message), now. */
  sendUnsolicited(raw: string): void {
    this.enqueue(raw, 0);
  }

  /** Lines received since index `from` (for "what was sent during this test step"). */
  commandsSince(from: number): string[] {
    return this.received.slice(from).map((r) => r.line);
  }

  attach(port: SerialPort): void {
    this.port = port;
    this.splitter.clear();
    port.on('data', (chunk: Buffer) => {
      for (const line of this.splitter.push(chunk)) this.receive(line);
    });
    this.onAttach();
  }

  detach(): void {
    this.epoch += 1;
    this.outQueue = Promise.resolve();
    this.port?.removeAllListeners('data');
    this.port = undefined;
  }

  private receive(line: string): void {
    this.received.push({ atMs: performance.now(), line });
    let replies: SimReply[];
    try {
      const r = this.handle(line);
      replies = r === undefined ? [] : Array.isArray(r) ? r : [r];
    } catch (err) {
      // A simulator bug must be visible in the test that triggered it, not crash the host.
      replies = [`SIMULATOR-ERROR ${(err as Error).message}`];
    }
    const fault = this.takeFault();
    if (fault?.kind === 'no-reply') return;
    for (const reply of replies) {
      const raw =
        typeof reply === 'string'
          ? reply + this.replyTerminator
          : 'raw' in reply
            ? reply.raw
            : reply.line + this.replyTerminator;
      const delayMs = typeof reply === 'string' ? 0 : (reply.delayMs ?? 0);
      if (fault?.kind === 'garbage') {
        this.enqueue((fault.text ?? '#%\x01garbage\x7f') + this.replyTerminator, delayMs);
        return;
      }
      if (fault?.kind === 'partial-line') {
        this.enqueue(
          raw.slice(0, Math.max(1, Math.floor(raw.length / 2))).replace(/[\r\n]+$/, ''),
          delayMs,
        );
        return;
      }
      this.enqueue(raw, delayMs + (fault?.kind === 'slow-reply' ? fault.delayMs : 0));
    }
  }

  private takeFault(): Fault | undefined {
    const head = this.faults[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) this.faults.shift();
    return head.fault;
  }

  private enqueue(raw: string, delayMs: number): void {
    const epoch = this.epoch;
    this.outQueue = this.outQueue.then(async () => {
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      const port = this.port;
      if (!port?.isOpen || epoch !== this.epoch) return;
      await new Promise<void>((resolve) => port.write(Buffer.from(raw, 'latin1'), () => resolve()));
    });
  }
}
