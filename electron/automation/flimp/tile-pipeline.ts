/**
 * The tile scan of a FLImP run as a pipeline: each tile's hardware part (move, focus, snap)
 * runs in turn with the ROIs' imaging, its analysis (ROI finding in the worker, thumbnail)
 * runs on meanwhile — up to `TILES_IN_ANALYSIS` tiles at once — so the first ROI is imaged
 * once one tile has ROIs, and later tiles are found while ROIs expose. Records come out in
 * tile order; each tile's duplicates are dropped against the ROIs of all tiles before it.
 */
import type { FlimpRecord, JournalRoi } from './journal';
import type { TileSnap } from './tile-scan';

export type TileRecord = Extract<FlimpRecord, { t: 'tile' | 'tile-failed' }>;

/** Tiles snapped whose analysis may still run, at most. */
export const TILES_IN_ANALYSIS = 2;

export interface TileSteps {
  /** The record of a tile journaled before a resume (not scanned again). */
  resumed(index: number): TileRecord | undefined;
  snap(index: number): Promise<TileSnap>;
  analyse(snap: TileSnap, known: Promise<readonly JournalRoi[]>): Promise<TileRecord>;
  /** The record of a tile whose snap or analysis threw; throws for errors that end the run. */
  failed(index: number, err: unknown): TileRecord;
}

interface Queued {
  record: Promise<TileRecord>;
  done: boolean;
}

export class TilePipeline {
  private next = 0;
  private readonly queue: Queued[] = [];
  /** The ROIs of every tile queued so far, once their analyses ended (never rejects). */
  private known: Promise<readonly JournalRoi[]> = Promise.resolve([]);

  constructor(
    private readonly count: number,
    private readonly steps: TileSteps,
  ) {}

  /** Index of the next tile `start` scans. */
  get nextIndex(): number {
    return this.next;
  }

  /** A tile is left to scan and fewer than TILES_IN_ANALYSIS are queued. */
  get canStart(): boolean {
    return this.next < this.count && this.queue.length < TILES_IN_ANALYSIS;
  }

  /** No tile is queued (taking one would have nothing to wait for). */
  get idle(): boolean {
    return this.queue.length === 0;
  }

  /** The oldest queued tile's record is ready: `take` will not wait. */
  get ready(): boolean {
    return this.queue[0]?.done ?? false;
  }

  /**
   * Snaps the next tile (uses the hardware; resolves when it is free again) and queues its
   * analysis. Rejects only with an error that ends the run (see TileSteps.failed).
   */
  async start(): Promise<void> {
    const i = this.next++;
    const before = this.known;
    const resumed = this.steps.resumed(i);
    let record: Promise<TileRecord>;
    if (resumed) record = Promise.resolve(resumed);
    else {
      const snap = await this.steps.snap(i).catch((err: unknown) => this.steps.failed(i, err));
      record =
        't' in snap
          ? Promise.resolve(snap)
          : this.steps.analyse(snap, before).catch((err: unknown) => this.steps.failed(i, err));
    }
    const q: Queued = { record, done: false };
    record.then(
      () => (q.done = true),
      () => (q.done = true),
    );
    this.known = record.then(
      async (r) => (r.t === 'tile' ? [...(await before), ...r.rois] : before),
      () => before,
    );
    this.queue.push(q);
  }

  /** The oldest queued tile's record (tile order); rejects with an error that ends the run. */
  async take(): Promise<TileRecord> {
    const q = this.queue.shift();
    if (!q) throw new Error('TilePipeline.take: no tile queued');
    return q.record;
  }

  /** Waits for the queued analyses to end, dropping their records (the run is ending). */
  async drain(): Promise<void> {
    await Promise.allSettled(this.queue.splice(0).map((q) => q.record));
  }
}
