/**
 * The analysis queue's durable journal: one JSON file per dataset × analysis job
 * (`<id>.json`, written atomically and fdatasync'ed before `save` returns). Every step is
 * saved before the next SLURM command runs — in particular `submitting` (with the SLURM job
 * name) before `sbatch` — so after a crash the queue knows which job names may already exist
 * on the cluster and looks them up instead of submitting twice.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AnalysisView } from '../api/analysis-schema';
import { fsyncDirSync, removePartialFiles, writeJsonAtomicSync } from '../storage/fs-atomic';

export class AnalysisJournal {
  readonly records = new Map<string, AnalysisView>();

  private constructor(private readonly dir: string) {}

  /** Opens (creating) the journal in `dir`; an unreadable record file is skipped and reported. */
  static open(dir: string, warn: (message: string) => void = () => undefined): AnalysisJournal {
    mkdirSync(dir, { recursive: true });
    removePartialFiles(dir);
    const j = new AnalysisJournal(dir);
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.json')) continue;
      try {
        const r = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as AnalysisView;
        j.records.set(r.id, r);
      } catch (err) {
        warn(`analysis journal: skipping ${name}: ${(err as Error).message}`);
      }
    }
    return j;
  }

  save(r: AnalysisView): void {
    r.updatedAt = Date.now();
    const isNew = !this.records.has(r.id);
    this.records.set(r.id, r);
    writeJsonAtomicSync(path.join(this.dir, `${r.id}.json`), r, 'disk');
    if (isNew) fsyncDirSync(this.dir);
  }
}
