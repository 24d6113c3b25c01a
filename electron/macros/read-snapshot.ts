/**
 * Read-only answers the host publishes into shared memory so a macro reads them without a
 * thread hop (docs/macros.md, "How a call crosses"). One slot per snapshot command holds the
 * JSON text of the answer the command's handler would give now, or nothing (the sandbox then
 * asks the host). Writes are guarded by a seqlock: the host makes the sequence odd, writes,
 * makes it even; a reader retries while it is odd or changed under it. Only the host writes.
 *
 * Layout: Int32 [0] sequence, then per slot Int32 length (-1: no answer) and SLOT_BYTES of
 * UTF-8.
 */

/** Bytes of JSON one slot holds; a longer answer is left to the ordinary call. */
export const SLOT_BYTES = 240;
const HEADER_BYTES = 4;
const SLOT_STRIDE = 4 + SLOT_BYTES;

export function snapshotBuffer(slots: number): SharedArrayBuffer {
  const buf = new SharedArrayBuffer(HEADER_BYTES + slots * SLOT_STRIDE);
  const seq = new Int32Array(buf, 0, 1);
  for (let i = 0; i < slots; i++) new Int32Array(buf, HEADER_BYTES + i * SLOT_STRIDE, 1)[0] = -1;
  Atomics.store(seq, 0, 0);
  return buf;
}

/** The host's side: `publish` the current answers (unchanged slots are not rewritten). */
export class SnapshotWriter {
  private readonly seq: Int32Array;
  private readonly last: (string | null)[];
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly buf: SharedArrayBuffer,
    slots: number,
  ) {
    this.seq = new Int32Array(buf, 0, 1);
    this.last = new Array<string | null>(slots).fill(null);
  }

  /** `answers[i]`: slot i's JSON text, or null when the host must be asked. */
  publish(answers: readonly (string | null)[]): void {
    const changed = answers.some((a, i) => a !== this.last[i]);
    if (!changed) return;
    Atomics.add(this.seq, 0, 1);
    answers.forEach((json, i) => {
      if (json === this.last[i]) return;
      this.last[i] = json;
      const len = new Int32Array(this.buf, HEADER_BYTES + i * SLOT_STRIDE, 1);
      const bytes = new Uint8Array(this.buf, HEADER_BYTES + i * SLOT_STRIDE + 4, SLOT_BYTES);
      const r = json === null ? null : this.encoder.encodeInto(json, bytes);
      const fits = r !== null && json !== null && r.read === json.length;
      Atomics.store(len, 0, fits ? r.written : -1);
    });
    Atomics.add(this.seq, 0, 1);
  }
}

/** The sandbox's side: the newest answer of a slot, decoded once per change. */
export class SnapshotReader {
  private readonly seq: Int32Array;
  private readonly decoder = new TextDecoder();
  private readonly cache: { seq: number; json: string | null }[];

  constructor(
    private readonly buf: SharedArrayBuffer,
    slots: number,
  ) {
    this.seq = new Int32Array(buf, 0, 1);
    this.cache = Array.from({ length: slots }, () => ({ seq: -1, json: null }));
  }

  /** Slot `i`'s JSON text, or null when the host must be asked. */
  read(i: number): string | null {
    const c = this.cache[i];
    if (!c) return null;
    for (;;) {
      const before = Atomics.load(this.seq, 0);
      if (before === c.seq) return c.json;
      if (before % 2 !== 0) continue;
      const at = HEADER_BYTES + i * SLOT_STRIDE;
      const len = Atomics.load(new Int32Array(this.buf, at, 1), 0);
      // Copied out before decoding: the bytes may change under a reader until the check below.
      const json =
        len < 0 || len > SLOT_BYTES
          ? null
          : this.decoder.decode(new Uint8Array(this.buf, at + 4, len).slice());
      if (Atomics.load(this.seq, 0) !== before) continue;
      c.seq = before;
      c.json = json;
      return json;
    }
  }
}

/** A read-only command answered from the snapshot: what its handler would answer (throws: ask the host). */
export interface SnapshotRead<S> {
  name: string;
  answer(state: S): unknown;
}

/** The host's side for one sandbox: its shared memory, kept to the state's answers. */
export class SnapshotPublisher<S> {
  readonly memory: SharedArrayBuffer;
  private readonly writer: SnapshotWriter;

  constructor(private readonly reads: readonly SnapshotRead<S>[]) {
    this.memory = snapshotBuffer(reads.length);
    this.writer = new SnapshotWriter(this.memory, reads.length);
  }

  /** Slot order, for the sandbox. */
  get names(): string[] {
    return this.reads.map((r) => r.name);
  }

  /** Publishes every answer for `state` (call on each state change). */
  refresh(state: S): void {
    this.writer.publish(
      this.reads.map((r) => {
        try {
          return JSON.stringify(r.answer(state));
        } catch {
          return null;
        }
      }),
    );
  }

  /** The sandbox's read counts, checked (it is not trusted): snapshot commands, positive integers. */
  validCounts(counts: Record<string, unknown>): Record<string, number> {
    const valid: Record<string, number> = {};
    for (const { name } of this.reads) {
      const n = counts[name];
      if (typeof n === 'number' && Number.isSafeInteger(n) && n > 0) valid[name] = n;
    }
    return valid;
  }
}
