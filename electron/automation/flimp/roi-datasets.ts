/**
 * ROI datasets of one run: free names (`<run>-roi-NNN`, `-aN` for later attempts or when a
 * folder of that name exists, e.g. left by a crash) and the next ROI's dataset opened ahead
 * of time while the current ROI exposes (a writer thread takes ~0.5 s to start). An ROI
 * opened ahead but not imaged has its empty dataset removed.
 */
import { serializeError } from '../../../drivers/errors';
import type { JournalRoi, JournalState } from './journal';
import type { FlimpPlan } from './plan-schema';
import { roiDatasetName, roiDatasetSpec } from './roi-imaging';
import type { FieldOfView, FlimpDeps, RoiDataset } from './types';

export class RoiDatasets {
  private ahead: { roiId: number; dataset: Promise<RoiDataset> } | null = null;

  constructor(
    private readonly deps: FlimpDeps,
    private readonly plan: FlimpPlan,
    private readonly runName: string,
    private readonly fov: FieldOfView,
    private readonly resume: JournalState | null,
  ) {}

  /** Opens `roi`'s dataset now, for a later `take` (no-op if one is already ahead). */
  openAhead(roi: JournalRoi): void {
    if (this.ahead) return;
    const dataset = this.open(roi);
    dataset.catch(() => undefined); // reported when the ROI takes it
    this.ahead = { roiId: roi.id, dataset };
  }

  /** The ROI's dataset: the one opened ahead for it, else a new one. */
  async take(roi: JournalRoi): Promise<RoiDataset> {
    const a = this.ahead;
    if (a?.roiId === roi.id) {
      this.ahead = null;
      return a.dataset;
    }
    await this.dropAhead();
    return this.open(roi);
  }

  /** Removes a dataset opened ahead for an ROI that was not imaged. */
  async dropAhead(): Promise<void> {
    const a = this.ahead;
    this.ahead = null;
    if (!a) return;
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
