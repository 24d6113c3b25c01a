/**
 * Executes a FLImP plan: tiles in order, each scanned (focus, snap, ROIs) as far ahead as
 * the remaining ROI budget needs; ROIs imaged in tile then rank order until `maxRois` were
 * attempted (the rest found are recorded as not imaged). A failed tile or ROI is skipped with its
 * reason; `MAX_CONSECUTIVE_FAILURES` failed ROIs in a row fail the run (hardware evidently
 * gone). Pause and cancel act at the next frame boundary, e-stop (`abort`) at once; lasers
 * are off however the run ends, and the hardware snapshot is restored unless aborted.
 * Progress is journaled (journal.ts); a run started with a journal's state resumes: scanned
 * tiles keep their ROIs and finished ROIs are not imaged again. The report is written last.
 */
import { AquilaError, serializeError } from '../../../drivers/errors';
import type { AutomationView } from '../../api/contract';
import type { HardwareSnapshot } from '../../runner/types';
import { FlimpJournal, type FlimpRecord, type JournalRoi, type JournalState } from './journal';
import type { FlimpPlan } from './plan-schema';
import { writeReport } from './report';
import { imageRoi } from './roi-imaging';
import { RoiDatasets } from './roi-datasets';
import { RunControl, RunStopped } from './run-control';
import { RunDrift } from './run-drift';
import { RunStatus } from './run-status';
import { TilePipeline, type TileRecord } from './tile-pipeline';
import { analyseTile, snapTile, tileCentres } from './tile-scan';
import type { FlimpDeps } from './types';
import { finishRoi, LIMIT_REASON, roiView, setRoi, skippedRecord, type RoiEnd } from './run-view';

export const MAX_CONSECUTIVE_FAILURES = 5;

export interface FlimpRunOptions {
  name: string;
  runDir: string;
  plan: FlimpPlan;
  /** The plan as given (JSON), journaled for resume. */
  planJson: unknown;
  /** Journal state of the run being resumed, or null for a new run. */
  resume: JournalState | null;
}

export class FlimpRun {
  readonly control: RunControl;
  private readonly published: RunStatus;
  private readonly wallMs: () => number;
  private datasets: RoiDatasets | null = null;
  private readonly drift: RunDrift;
  private tiles: TilePipeline | null = null;
  /** The last ROI's close and roi-end record, running on while the next ROI starts. */
  private finishing: Promise<void> | null = null;

  constructor(
    private readonly deps: FlimpDeps,
    private readonly o: FlimpRunOptions,
  ) {
    this.control = new RunControl(deps.time);
    this.wallMs = deps.wallMs ?? Date.now;
    this.published = new RunStatus(o, this.control, this.wallMs);
    this.drift = new RunDrift(o.plan.driftCorrection, deps.log);
    this.control.onChange(() => this.update(() => undefined));
  }

  status(): AutomationView {
    return this.published.snapshot();
  }

  subscribe(listener: (v: AutomationView) => void): () => void {
    return this.published.subscribe(listener);
  }

  /** Runs to the end; resolves with the final view (never rejects for run failures). */
  async run(): Promise<AutomationView> {
    const { deps, o } = this;
    const journal = await FlimpJournal.open(o.runDir);
    let snapshot: HardwareSnapshot | null = null;
    try {
      snapshot = await deps.engine.snapshotHardware();
      const centre = this.centre(snapshot);
      await journal.append(
        o.resume
          ? { t: 'resume', atMs: this.wallMs() }
          : { t: 'start', name: o.name, plan: o.planJson, centreUm: centre, atMs: this.wallMs() },
      );
      await this.loop(journal, centre);
      this.update((v) => (v.phase = 'finished'));
    } catch (err) {
      const stopped = err instanceof RunStopped ? err : this.control.stopReason;
      if (stopped?.kind === 'cancelled') this.update((v) => (v.phase = 'cancelled'));
      else {
        const failure = serializeError(stopped ?? err);
        this.update((v) => {
          v.phase = 'failed';
          v.failure = failure;
        });
        deps.log('error', `Automation ${o.name} failed: ${failure.message}`);
      }
    }
    await this.settle().catch((err: unknown) =>
      deps.log('error', `Automation: last ROI not recorded: ${serializeError(err).message}`),
    );
    await this.teardown(snapshot);
    const end: FlimpRecord = { t: 'end', phase: this.published.current.phase, atMs: this.wallMs() };
    const { failure } = this.published.current;
    if (failure) end.reason = failure.message;
    await journal.append(end).catch(() => undefined);
    await journal.close().catch(() => undefined);
    try {
      const report = await writeReport(o.runDir);
      this.update((v) => (v.report = report.html));
    } catch (err) {
      deps.log('error', `Automation report not written: ${serializeError(err).message}`);
    }
    this.update((v) => {
      v.endedAtMs = this.wallMs();
      v.currentRoi = null;
      v.etaS = v.phase === 'finished' ? 0 : null;
    });
    return this.status();
  }

  /** The scan centre: the plan's, the journaled one on resume, else where the stage is. */
  private centre(snapshot: HardwareSnapshot): { xUm: number; yUm: number } {
    return (
      this.o.resume?.centreUm ?? this.o.plan.scan.centreUm ?? snapshot.xyUm ?? { xUm: 0, yUm: 0 }
    );
  }

  private async loop(journal: FlimpJournal, centre: { xUm: number; yUm: number }): Promise<void> {
    const { deps, o } = this;
    const { plan } = o;
    const fov = await deps.fieldOfView();
    const datasets = new RoiDatasets(deps, plan, o.name, fov, o.resume);
    this.datasets = datasets;
    const tiles = tileCentres(plan, fov, centre);
    const known: JournalRoi[] = [];
    /** Found, not yet imaged or skipped, in tile then rank order. */
    const pending: JournalRoi[] = [];
    let attempted = 0;
    let failedInARow = 0;
    const checkpoint = () => this.control.checkpoint(() => deps.engine.lasersOff());
    // Tiles are snapped ahead until enough ROIs wait for the remaining budget; their ROIs are
    // found while the next tile is snapped or ROIs expose (tile-pipeline.ts), so imaging
    // waits for a tile's analysis only when no ROI is left to image.
    const scan = new TilePipeline(tiles.length, {
      resumed: (i) => o.resume?.tiles.get(i),
      snap: (i) => snapTile(deps, plan, i, tiles[i]!, this.control.signal),
      analyse: (snap, before) => analyseTile(deps, plan, o.runDir, snap, before),
      failed: (i, err) => this.tileFailed(i, err),
    });
    this.tiles = scan;
    const scanAhead = async () => {
      for (;;) {
        if (pending.length < plan.maxRois - attempted && scan.canStart) {
          await checkpoint();
          this.update((v) => {
            v.phase = 'scanning';
            v.tileIndex = scan.nextIndex;
          });
          await scan.start();
          continue;
        }
        if (scan.idle || (pending.length > 0 && !scan.ready)) return;
        const tile = await scan.take();
        if (!o.resume?.tiles.has(tile.index)) await journal.append(tile);
        if (tile.t === 'tile-failed') continue;
        this.drift.noteTile(tile.index, {
          xUm: tile.xUm,
          yUm: tile.yUm,
          foundAtMs: tile.foundAtMs ?? tile.atMs,
        });
        known.push(...tile.rois);
        this.update((v) => {
          v.found = known.length;
          for (const r of tile.rois) v.rois.push(roiView(r));
          if (tile.focus && tile.focus.mode !== 'none' && !tile.focus.error) {
            (v.focusMap ??= []).push({ xUm: tile.xUm, yUm: tile.yUm, zUm: tile.focus.zUm });
          }
        });
        for (const roi of tile.rois) {
          const done = o.resume?.finished.get(roi.id);
          if (!done) pending.push(roi);
          else {
            if (done.reason !== LIMIT_REASON) attempted++;
            this.finishRoi(done);
            this.drift.learn(done);
          }
        }
        // The first ROI to image gets its dataset opened while further tiles are scanned (one
        // writer thread starting, not more, while the scan needs the CPU).
        if (attempted < plan.maxRois) datasets.openAhead(pending.slice(0, 1));
      }
    };
    for (;;) {
      await scanAhead();
      const roi = pending.shift();
      if (!roi) break;
      if (attempted >= plan.maxRois) {
        const rec = skippedRecord(roi.id, LIMIT_REASON, this.wallMs());
        await journal.append(rec);
        this.finishRoi(rec);
        continue;
      }
      await checkpoint();
      attempted++;
      const { finished } = await this.oneRoi(
        journal,
        roi,
        pending.slice(0, Math.max(0, plan.maxRois - attempted)),
      );
      // The previous ROI's record first (its close overlapped this ROI's frames).
      await this.settle();
      const finishing = finished.then(async (rec) => {
        await journal.append(rec);
        this.finishRoi(rec);
        this.drift.learn(rec);
        failedInARow = rec.outcome === 'imaged' ? 0 : failedInARow + 1;
        if (failedInARow >= MAX_CONSECUTIVE_FAILURES)
          throw new AquilaError(
            'E_AUTOMATION',
            `${failedInARow} ROIs in a row failed; last: ${rec.reason ?? 'unknown'}`,
          );
      });
      finishing.catch(() => undefined); // awaited (and rethrown) by the next settle()
      this.finishing = finishing;
    }
    await this.settle();
  }

  /** Waits for the last ROI's close and roi-end record; rethrows what failed there. */
  private async settle(): Promise<void> {
    const f = this.finishing;
    this.finishing = null;
    await f;
  }

  /** A failed tile's record (the tile is skipped with its reason); rethrows what ends the run. */
  private tileFailed(index: number, err: unknown): TileRecord {
    this.rethrowIfFatal(err);
    const reason = serializeError(err).message;
    this.deps.log('warn', `Tile ${index} skipped: ${reason}`);
    return { t: 'tile-failed', index, reason, atMs: this.wallMs() };
  }

  private async oneRoi(
    journal: FlimpJournal,
    roi: JournalRoi,
    /** The ROIs to image after this one, in order (within the budget). */
    next: readonly JournalRoi[],
  ): Promise<{ finished: Promise<RoiEnd> }> {
    const { deps, o } = this;
    const startedAtMs = this.wallMs();
    this.update((v) => {
      v.phase = 'imaging';
      v.currentRoi = roi.id;
      setRoi(v, roi.id, { state: 'imaging' });
    });
    const { tile, correction } = this.drift.forRoi(roi.tile, this.wallMs());
    try {
      const { finished } = await imageRoi(
        {
          deps,
          plan: o.plan,
          runDir: o.runDir,
          control: this.control,
          openDataset: () => this.datasets!.take(roi),
          onDataset: async (dir) => {
            // Not synced on its own: if a crash loses it, the folder still exists, resume
            // picks the next free name and recovery closes the folder as interrupted.
            await journal.append(
              { t: 'roi-start', id: roi.id, dataset: dir, atMs: this.wallMs() },
              false,
            );
            this.update((v) => setRoi(v, roi.id, { dataset: dir }));
          },
          onFrame: (frames) => {
            if (frames === 1) this.datasets!.openAhead(next);
            this.published.frames(roi.id, frames);
          },
        },
        roi,
        tile,
        correction,
      );
      this.published.roiTook(this.wallMs() - startedAtMs);
      return { finished: finished.catch((err: unknown) => this.skip(roi, err, startedAtMs)) };
    } catch (err) {
      this.rethrowIfFatal(err);
      return { finished: Promise.resolve(this.skip(roi, err, startedAtMs)) };
    }
  }

  private skip(roi: JournalRoi, err: unknown, startedAtMs: number): RoiEnd {
    const reason = serializeError(err).message;
    this.deps.log('warn', `ROI ${roi.id} skipped: ${reason}`);
    return skippedRecord(roi.id, reason, this.wallMs(), startedAtMs);
  }

  /** Stop requests and e-stop end the run; anything else only skips the tile or ROI. */
  private rethrowIfFatal(err: unknown): void {
    if (err instanceof RunStopped) throw err;
    const stop = this.control.stopReason;
    if (stop) throw stop;
    if (err instanceof AquilaError && err.code === 'E_ESTOP') {
      this.control.abort(err.message);
      throw this.control.stopReason!;
    }
  }

  private finishRoi(rec: RoiEnd): void {
    this.update((v) => finishRoi(v, rec));
  }

  private async teardown(snapshot: HardwareSnapshot | null): Promise<void> {
    const { engine } = this.deps;
    await this.tiles?.drain();
    await this.datasets?.dropAhead();
    const attempt = async (what: string, f: () => Promise<unknown>) => {
      try {
        await f();
      } catch (err) {
        this.deps.log('error', `Automation: ${what} failed: ${serializeError(err).message}`);
      }
    };
    await attempt('switching lasers off', () => engine.lasersOff());
    if (snapshot && this.control.stopReason?.kind !== 'aborted')
      await attempt('restoring the hardware', () => engine.restoreHardware(snapshot));
    await attempt('switching lasers off', () => engine.lasersOff());
  }

  private update(change: (v: AutomationView) => void): void {
    this.published.update(change);
  }
}
