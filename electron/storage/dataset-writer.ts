/**
 * One dataset being written (runs in the writer thread, synchronous I/O): creates the
 * folder, provenance (outcome 'running'), writer lock and image file; writes frames (plane
 * first, then its frames.jsonl line, so a listed frame is always readable); closes through
 * finalize.ts. A failed write leaves all earlier frames intact.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ValidationError } from '../../drivers/errors';
import type { ProvenanceDoc } from './dataset-files';
import { appendJsonLine } from './dataset-files';
import { finalizeDataset } from './finalize';
import type { Durability } from './fs-atomic';
import { writeAllSync, writeJsonAtomicSync } from './fs-atomic';
import type {
  DatasetFrameMeta,
  DatasetLayout,
  DatasetSummary,
  FrameIndex,
  FrameRecord,
  RunEnd,
  RunProvenance,
} from './layout';
import { datasetFiles, imageFileName } from './layout';
import { type KnownHash, lockFileName } from './manifest';
import type { PlaneWriter } from './plane-writer';
import { storageError } from './storage-error';
import { TiffPlaneWriter } from './tiff-writer';
import { ZarrPlaneWriter } from './zarr-writer';

export interface CreateDatasetOptions {
  root: string;
  layout: DatasetLayout;
  provenance: RunProvenance;
  durability?: Durability;
  nowMs?: number;
  /**
   * Live archiving: called once per file that is complete, hashed and will not change again
   * (path relative to the dataset folder), with the hash the manifest will carry.
   */
  onFileFinal?: (rel: string, h: KnownHash) => void;
  /** Live archiving: the OME-TIFF's bytes [16, finalBytes) will not change again. */
  onFileGrowing?: (rel: string, finalBytes: number) => void;
}

export function formatIndex(i: FrameIndex): string {
  return `p=${i.p} t=${i.t} c=${i.c} z=${i.z}`;
}

export class DatasetWriter {
  readonly dir: string;
  private readonly planes: PlaneWriter;
  private readonly framesFd: number;
  private framesWritten = 0;
  private framesBytes = 0;
  private closed = false;
  /** Settles when the metadata line of the last started frame is written (or it failed). */
  private recorded: Promise<void> = Promise.resolve();

  private constructor(
    dir: string,
    planes: PlaneWriter,
    framesFd: number,
    private readonly layout: DatasetLayout,
    private readonly durability: Durability,
  ) {
    this.dir = dir;
    this.planes = planes;
    this.framesFd = framesFd;
  }

  static create(o: CreateDatasetOptions): DatasetWriter {
    const durability = o.durability ?? 'os';
    const nowMs = o.nowMs ?? Date.now();
    const dir = path.join(o.root, o.layout.name);
    try {
      fs.mkdirSync(o.root, { recursive: true });
      fs.mkdirSync(dir);
    } catch (err) {
      throw storageError(
        err,
        'Cannot create dataset folder',
        dir,
        'Choose another dataset name or output folder.',
      );
    }
    try {
      fs.writeFileSync(
        path.join(dir, lockFileName),
        JSON.stringify({ pid: process.pid, startedAtMs: nowMs }),
      );
      const prov: ProvenanceDoc = {
        aquilaDataset: 1,
        name: o.layout.name,
        imageFile: imageFileName(o.layout),
        layout: o.layout,
        appVersion: o.provenance.appVersion,
        operator: o.provenance.operator,
        host: os.hostname(),
        config: o.provenance.config ?? null,
        plan: o.provenance.plan ?? null,
        deviceStates: o.provenance.deviceStates ?? null,
        access: o.provenance.access ?? null,
        startedAt: new Date(nowMs).toISOString(),
        startedAtMs: nowMs,
        endedAt: null,
        outcome: 'running',
        reason: null,
        progress: null,
      };
      writeJsonAtomicSync(path.join(dir, datasetFiles.provenance), prov, durability);
      appendJsonLine(path.join(dir, datasetFiles.journal), {
        timeMs: nowMs,
        event: 'opened',
        format: o.layout.format,
      });
      const image = path.join(dir, imageFileName(o.layout));
      const planes: PlaneWriter =
        o.layout.format === 'ome-tiff'
          ? new TiffPlaneWriter(image, o.layout, durability, nowMs, (n) =>
              o.onFileGrowing?.(imageFileName(o.layout), n),
            )
          : new ZarrPlaneWriter(image, o.layout, durability, (key, h) =>
              o.onFileFinal?.(`${imageFileName(o.layout)}/${key}`, h),
            );
      const framesFd = fs.openSync(path.join(dir, datasetFiles.frames), 'wx');
      return new DatasetWriter(dir, planes, framesFd, o.layout, durability);
    } catch (err) {
      throw storageError(err, 'Cannot initialise dataset', dir);
    }
  }

  /**
   * Writes one plane and then its metadata line. Rejects with StorageError; earlier frames
   * stay intact. Calls may overlap: metadata lines are appended in call order, each once its
   * plane is written (for OME-TIFF that is also IFD order).
   */
  async writeFrame(
    index: FrameIndex,
    meta: DatasetFrameMeta,
    pixels: Uint8Array,
    nowMs = Date.now(),
  ): Promise<void> {
    if (this.closed)
      throw new ValidationError(
        `dataset ${this.dir} is closed; frame ${formatIndex(index)} refused`,
      );
    const plane = this.planes.writePlane(index, pixels);
    const previous = this.recorded;
    const recorded = (async () => {
      try {
        const { ifd } = await plane;
        await previous;
        const record: FrameRecord = {
          index,
          meta,
          writtenAtMs: nowMs,
          ...(ifd === undefined ? {} : { ifd }),
        };
        this.appendRecord(JSON.stringify(record) + '\n');
        this.framesWritten++;
      } catch (err) {
        throw storageError(
          err,
          `Writing frame ${formatIndex(index)} failed in`,
          this.dir,
          `The run was stopped; the ${this.framesWritten} frames written before it are intact.`,
        );
      }
    })();
    this.recorded = recorded.catch(() => undefined);
    return recorded;
  }

  /** Appends one frames.jsonl line whole, or (e.g. on a full disk) not at all. */
  private appendRecord(line: string): void {
    const at = this.framesBytes;
    const bytes = Buffer.from(line, 'utf8');
    try {
      writeAllSync(this.framesFd, bytes, at);
    } catch (err) {
      // A torn line would also corrupt the next one appended after it.
      fs.ftruncateSync(this.framesFd, at);
      throw err;
    }
    this.framesBytes = at + bytes.length;
  }

  /** Settles once every frame started so far is written or has failed, and hashed. */
  async settled(): Promise<void> {
    await this.recorded;
    await this.planes.settled();
  }

  journal(event: string, fields: Record<string, unknown> = {}, nowMs = Date.now()): void {
    appendJsonLine(path.join(this.dir, datasetFiles.journal), { timeMs: nowMs, event, ...fields });
  }

  /** Releases handles without closing the dataset (recovery will). */
  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    this.planes.release();
    fs.closeSync(this.framesFd);
  }

  close(end: RunEnd, framesDropped: number): DatasetSummary {
    this.abandon();
    const image = imageFileName(this.layout);
    const knownHashes = new Map(
      [...this.planes.knownHashes].map(([rel, h]) => [`${image}/${rel}`, h] as const),
    );
    try {
      return finalizeDataset(this.dir, {
        outcome: end.outcome,
        reason: end.reason,
        framesDropped,
        durability: this.durability,
        knownHashes,
        ...(this.planes.finish ? { finishTiff: this.planes.finish.bind(this.planes) } : {}),
      });
    } catch (err) {
      // No writer holds the folder any more: let recovery (even in this process) close it.
      fs.rmSync(path.join(this.dir, lockFileName), { force: true });
      throw err;
    }
  }
}
