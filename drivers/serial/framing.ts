/**
 * Reply framing: bytes → lines, and "is this reply complete?" predicates.
 * A device's framing is (command terminator, reply terminator, reply shape); the shape is
 * given per command because one device mixes single-line, multi-line and no-reply commands.
 */

/**
 * Where reply lines end. A literal terminator (`'\r\n'`, `'\r'`, `'\n'`) keeps empty
 * lines; `'any-eol'` splits on CR, LF or CRLF and drops empty lines, for devices that mix
 * terminators (ASI Tiger: lines separated by `\r`, the last ending `\r\n`).
 */
export type ReplyTerminator = '\r\n' | '\r' | '\n' | 'any-eol';

/** Splits a byte stream into text lines (latin1: one char per byte, so raw bytes survive). */
export class LineSplitter {
  private pending = '';

  constructor(private readonly terminator: ReplyTerminator) {}

  /** Appends bytes; returns the lines they completed, without terminators. */
  push(chunk: Buffer | string): string[] {
    this.pending += typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    const out: string[] = [];
    if (this.terminator === 'any-eol') {
      let start = 0;
      for (let i = 0; i < this.pending.length; i++) {
        const c = this.pending.charCodeAt(i);
        if (c === 13 || c === 10) {
          if (i > start) out.push(this.pending.slice(start, i));
          start = i + 1;
        }
      }
      this.pending = this.pending.slice(start);
      return out;
    }
    let at: number;
    while ((at = this.pending.indexOf(this.terminator)) >= 0) {
      out.push(this.pending.slice(0, at));
      this.pending = this.pending.slice(at + this.terminator.length);
    }
    return out;
  }

  /** Bytes received after the last complete line. */
  get partial(): string {
    return this.pending;
  }

  /** Discards the partial line; returns it. */
  clear(): string {
    const p = this.pending;
    this.pending = '';
    return p;
  }
}

/**
 * When a reply is complete: a line count (0 = the command has no reply), or a predicate
 * over the lines received so far for this command.
 */
export type ReplyShape = number | ((lines: readonly string[]) => boolean);

export function isReplyComplete(shape: ReplyShape, lines: readonly string[]): boolean {
  return typeof shape === 'number' ? lines.length >= shape : shape(lines);
}

/** Complete when a line matches `endLine` (e.g. `OK`, `END`) or `errorLine` (e.g. `ERR-n`). */
export function untilLine(endLine: RegExp, errorLine?: RegExp): ReplyShape {
  return (lines) => {
    const last = lines.at(-1);
    return last !== undefined && (endLine.test(last) || (errorLine?.test(last) ?? false));
  };
}

/**
 * One reply line, skipping a leading echo of the command (some Cobolt units echo; source:
 * CoboltOfficial adapter, which reads one more line when reply == command).
 */
export function oneLineAfterEcho(command: string): ReplyShape {
  const echo = command.trim().toLowerCase();
  return (lines) => lines.some((l) => l.trim().toLowerCase() !== echo);
}

/** Renders text with control characters escaped, for logs and error details. */
export function printable(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
