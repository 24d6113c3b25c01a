/**
 * ROI datasets of one run: free names (`<run>-roi-NNN`, `-aN` for later attempts or when a
 * folder of that name exists, e.g. left by a crash) and the next ROIs' datasets opened
 * ahead of time while the current ROI exposes (a writer thread takes ~0.5 s to start, over
 * 1 s on a loaded machine: longer than one ROI's series, hence `OPEN_AHEAD` deep). An ROI
 * opened ahead but not imaged has its empty dataset removed.
 */
import { serializeError } from '../../../drivers/errors';
import type { JournalRoi, JournalState } from './journal';
import type { FlimpPlan } from './plan-schema';
import { roiDatasetName, roiDatasetSpec } from './roi-imaging';
import type { FieldOfView, FlimpDeps, RoiDataset } from './types';

/** Datasets kept opening or open ahead of the ROI being imaged. */
export const OPEN_AHEAD = 2;

interface Ahead {
  roiId: number;
  dataset: Promise<RoiDataset>;
}

export class RoiDatasets {
  /** In imaging order. */
  private ahead: Ahead[] = [];

  constructor(
    private readonly deps: FlimpDeps,
    private readonly plan: FlimpPlan,
    private readonly runName: string,
    private readonly fov: FieldOfView,
    private readonly resume: JournalState | null,
  ) {}

  /** Opens the datasets of the first `OPEN_AHEAD` of `next` (the ROIs to image next, in order) not yet opened. */
  openAhead(next: readonly JournalRoi[]): void {
    for (const roi of next.slice(0, OPEN_AHEAD)) {
      if (this.ahead.length >= OPEN_AHEAD) return;
      if (this.ahead.some((a) => a.roiId === roi.id)) continue;
      const dataset = this.open(roi);
      dataset.catch(() => undefined); // reported when the ROI takes it
      this.ahead.push({ roiId: roi.id, dataset });
    }
  }

  /** The ROI's dataset: the one opened ahead for it, else a new one. Those opened ahead for ROIs before it are removed. */
  async take(roi: JournalRoi): Promise<RoiDataset> {
    const i = this.ahead.findIndex((a) => a.roiId === roi.id);
    const passed = this.ahead.splice(0, i < 0 ? this.ahead.length : i + 1);
    const mine = i < 0 ? undefined : passed.pop();
    await Promise.all(passed.map((a) => this.discard(a)));
    return mine ? mine.dataset : this.open(roi);
  }

  /** Removes the datasets opened ahead for ROIs that were not imaged. */
  async dropAhead(): Promise<void> {
    await Promise.all(this.ahead.splice(0).map((a) => this.discard(a)));
  }

  private async discard(a: Ahead): Promise<void> {
    try {
      await (await a.dataset).discard();
    } catch (err) {
      this.deps.log('warn', `Unused ROI dataset not removed: ${serializeError(err).message}`);
    }
  }

  private open(roi: JournalRoi): Promise<RoiDataset> {
    return this.deps.openDataset(roiDatasetSpec(this.plan, this.fov, this.freeName(roi), roi));
  }

  private freeName(roi: JournalRoi): string {
    const earlier = this.resume?.attempts.get(roi.id)?.length ?? 0;
    for (let attempt = earlier + 1; ; attempt++) {
      const name = roiDatasetName(this.runName, roi.id, attempt);
      if (!this.deps.isNameTaken?.(name)) return name;
    }
  }
}
