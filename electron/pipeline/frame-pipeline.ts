/**
 * The lossless frame pipeline of one run: camera → bounded queue (bytes) → writer thread.
 * `write` waits for room (back-pressure) and then transfers the pixel buffer to the writer,
 * so the host never holds a second copy; `offer` is for producers that cannot wait and
 * counts, logs and journals a drop when the queue is full. Implements the runner's RunSink.
 */
import type { Worker } from 'node:worker_threads';
import { AquilaError, type SerializedError, ValidationError } from '../../drivers/errors';
import { spawnWorker } from '../../drivers/workers';
import { parseOrThrow } from '../../drivers/validation';
import type { Logger } from '../host/logger';
import { silentLogger } from '../host/logger';
import { formatIndex } from '../storage/dataset-writer';
import type { Durability } from '../storage/fs-atomic';
import {
  type DatasetFrame,
  type DatasetFrameMeta,
  type DatasetLayout,
  type DatasetLayoutInput,
  type DatasetSummary,
  type FrameIndex,
  type RunEnd,
  type RunProvenance,
  type RunSink,
  datasetLayout,
  framesExpected,
  planeBytes,
  planeNumber,
} from '../storage/layout';
import { StorageError } from '../storage/storage-error';
import { ByteBudget } from './byte-budget';
import type { FinalFile, FromWriter, GrowingFile, ToWriter, WriterInit } from './writer-messages';

export interface FramePipelineOptions {
  root: string;
  layout: DatasetLayoutInput;
  provenance: RunProvenance;
  /** Bytes of frames handed over but not yet written (default 256 MiB). */
  queueBytes?: number;
  durability?: Durability;
  logger?: Logger;
  /** Called once per frame after it is durable in the dataset (pixels and metadata). */
  onWritten?: (index: FrameIndex) => void;
  /** Live archiving: a dataset file is complete and hashed (see DatasetWriter's onFileFinal). */
  onFileFinal?: (file: FinalFile) => void;
  /** Live archiving: the growing OME-TIFF's final prefix advanced. */
  onFileGrowing?: (file: GrowingFile) => void;
}

export interface PipelineStats {
  framesAccepted: number;
  framesWritten: number;
  framesDropped: number;
  bytesWritten: number;
  queuedBytes: number;
}

function revive(e: SerializedError): AquilaError {
  return e.code === 'E_STORAGE'
    ? new StorageError(e.message, e.details)
    : new AquilaError(e.code, e.message, e.details);
}

export class FramePipeline implements RunSink {
  readonly layout: DatasetLayout;
  private readonly budget: ByteBudget;
  private readonly seen: Uint8Array;
  private readonly pending = new Map<number, FrameIndex>();
  private nextId = 0;
  private failure: AquilaError | null = null;
  private closing: Promise<DatasetSummary> | null = null;
  private terminating = false;
  private gone: StorageError | null = null;
  private readonly drainWaiters: (() => void)[] = [];
  /**
   * Written frames' buffers, handed back by the writer for reuse; bounded by the queue size,
   * and kept only once the producer takes buffers (a camera that allocates its own frames
   * would otherwise leave a queue's worth of memory held for nothing).
   */
  private readonly spare: ArrayBuffer[] = [];
  private recycling = false;
  private onClosed: ((m: FromWriter) => void) | null = null;
  readonly stats: PipelineStats = {
    framesAccepted: 0,
    framesWritten: 0,
    framesDropped: 0,
    bytesWritten: 0,
    queuedBytes: 0,
  };

  private constructor(
    private readonly worker: Worker,
    readonly dir: string,
    layout: DatasetLayout,
    private readonly o: FramePipelineOptions,
  ) {
    this.layout = layout;
    this.budget = new ByteBudget(o.queueBytes ?? 256 * 1024 * 1024);
    this.seen = new Uint8Array(framesExpected(layout));
    worker.on('message', (m: FromWriter) => this.onMessage(m));
    worker.on('error', (err) => this.onWriterGone(`crashed: ${err.message}`));
    worker.on('exit', (code) => {
      if (!this.terminating) this.onWriterGone(`exited unexpectedly (code ${code})`);
    });
  }

  /** Creates the dataset folder in a new writer thread; rejects with the writer's error. */
  static async open(o: FramePipelineOptions): Promise<FramePipeline> {
    const layout = parseOrThrow(datasetLayout, o.layout, 'dataset layout');
    const init: WriterInit = {
      root: o.root,
      layout,
      provenance: o.provenance,
      durability: o.durability ?? 'os',
    };
    const worker = spawnWorker(new URL('./writer.worker.ts', import.meta.url), init);
    const first = await new Promise<FromWriter>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (first.type !== 'opened') {
      await worker.terminate();
      throw first.type === 'open-failed'
        ? revive(first.error)
        : new StorageError(`writer sent ${first.type} before opening`);
    }
    return new FramePipeline(worker, first.dir, layout, o);
  }

  /** Resolves once the frame is queued (waits while the queue is full); rejects if the writer failed. */
  async write(frame: DatasetFrame, index: FrameIndex): Promise<void> {
    this.check(frame, index);
    await this.budget.acquire(frame.pixels.byteLength);
    this.send(frame, index);
  }

  /** Non-waiting variant: false = queue full, the frame was dropped (counted, logged, journaled). */
  offer(frame: DatasetFrame, index: FrameIndex): boolean {
    this.check(frame, index);
    if (this.budget.tryAcquire(frame.pixels.byteLength)) {
      this.send(frame, index);
      return true;
    }
    this.seen[planeNumber(this.layout, index)] = 0;
    this.stats.framesDropped++;
    const where = `${formatIndex(index)} (seq ${frame.meta.seq})`;
    (this.o.logger ?? silentLogger).log(
      'warn',
      `frame ${where} dropped: writer queue full (${this.budget.capacityBytes} bytes)`,
    );
    this.journal('frame-dropped', { index, seq: frame.meta.seq });
    return false;
  }

  /**
   * A buffer of `bytes` (default: one plane) for the next frame: a written frame's buffer
   * when one is free (its pages are already mapped, so the producer saves the allocation and
   * page faults), else a new one. Contents are stale; the producer overwrites them entirely.
   * The runner passes it to the camera (Camera.snap), which fills it.
   */
  takeBuffer(bytes = planeBytes(this.layout)): ArrayBuffer {
    this.recycling = true;
    // The most recently returned buffer first: no shifting of the list (it holds up to a
    // queue's worth, hundreds of small planes), and its pages are the most likely cached.
    const i = this.spare.findLastIndex((b) => b.byteLength === bytes);
    if (i < 0) return new ArrayBuffer(bytes);
    return i === this.spare.length - 1 ? this.spare.pop()! : this.spare.splice(i, 1)[0]!;
  }

  journal(event: string, fields: Record<string, unknown> = {}): void {
    this.post({ type: 'journal', event, fields });
  }

  /** Resolves when every accepted frame has been written (or failed). */
  flush(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Waits for queued frames, closes the dataset (manifest last) and stops the thread. */
  close(end: RunEnd): Promise<DatasetSummary> {
    this.closing ??= this.doClose(end);
    return this.closing;
  }

  private async doClose(end: RunEnd): Promise<DatasetSummary> {
    await this.flush();
    if (this.gone) throw this.gone;
    const reply = new Promise<FromWriter>((resolve) => (this.onClosed = resolve));
    this.post({ type: 'close', end, framesDropped: this.stats.framesDropped });
    const m = await reply;
    this.terminating = true;
    await this.worker.terminate();
    if (m.type === 'closed') return m.summary;
    throw m.type === 'close-failed' ? revive(m.error) : new StorageError('writer did not close');
  }

  private check(frame: DatasetFrame, index: FrameIndex): void {
    if (this.failure) throw this.failure;
    if (this.closing)
      throw new ValidationError(`frame ${formatIndex(index)} refused: the dataset is closing`);
    const { sizes, positions } = this.layout;
    const bad = (['p', 't', 'c', 'z'] as const).find((k) => {
      const v = index[k];
      const n = k === 'p' ? positions : sizes[k];
      return !Number.isInteger(v) || v < 0 || v >= n;
    });
    if (bad)
      throw new ValidationError(
        `frame index.${bad}: ${index[bad]} is outside 0..${(bad === 'p' ? positions : sizes[bad]) - 1}`,
      );
    const expected = planeBytes(this.layout);
    if (frame.pixels.byteLength !== expected)
      throw new ValidationError(
        `frame ${formatIndex(index)}: pixels have ${frame.pixels.byteLength} bytes, expected ${expected} (${sizes.x}×${sizes.y} ${this.layout.pixelType})`,
      );
    const n = planeNumber(this.layout, index);
    if (this.seen[n])
      throw new ValidationError(`frame ${formatIndex(index)} was already written in this run`);
    this.seen[n] = 1;
  }

  private send(frame: DatasetFrame, index: FrameIndex): void {
    const id = this.nextId++;
    this.pending.set(id, index);
    this.stats.framesAccepted++;
    this.stats.queuedBytes = this.budget.heldBytes;
    const meta: DatasetFrameMeta = frame.meta;
    this.post({ type: 'frame', id, index, meta, pixels: frame.pixels }, [frame.pixels]);
  }

  private post(m: ToWriter, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  private onMessage(m: FromWriter): void {
    if (m.type === 'written' || m.type === 'write-failed') {
      const index = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.type === 'written') {
        if (this.recycling && (this.spare.length + 1) * m.bytes <= this.budget.capacityBytes)
          this.spare.push(m.pixels);
        this.stats.framesWritten++;
        this.stats.bytesWritten += m.bytes;
        if (index) this.o.onWritten?.(index);
      } else this.fail(revive(m.error));
      this.budget.release(m.bytes);
      this.stats.queuedBytes = this.budget.heldBytes;
      if (this.pending.size === 0) for (const w of this.drainWaiters.splice(0)) w();
    } else if (m.type === 'file-final') {
      const { type: _type, ...file } = m;
      this.o.onFileFinal?.(file);
    } else if (m.type === 'file-growing') {
      const { type: _type, ...file } = m;
      this.o.onFileGrowing?.(file);
    } else if (m.type === 'closed' || m.type === 'close-failed') this.onClosed?.(m);
  }

  /** The writer thread died: nothing queued can be written; unblock every waiter. */
  private onWriterGone(how: string): void {
    const err = new StorageError(
      `writer thread ${how}; frames reported written are intact and recovery will close the dataset`,
    );
    this.fail(err);
    this.gone = err;
    this.stats.queuedBytes = 0;
    this.pending.clear();
    for (const w of this.drainWaiters.splice(0)) w();
    this.onClosed?.({ type: 'close-failed', error: err.toJSON() });
  }

  private fail(err: AquilaError): void {
    if (this.failure) return;
    this.failure = err;
    (this.o.logger ?? silentLogger).log('error', err.message);
    this.budget.fail(err);
  }
}
