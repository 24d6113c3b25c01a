/**
 * Closes a dataset folder, from the writer at the end of a run or from recovery after a
 * crash: removes `*.partial` leftovers and chunk files of planes not listed in frames.jsonl
 * (see removeUnlistedChunks), writes the final OME-XML (OME-TIFF description
 * mapping each written plane to its IFD; OME-Zarr `OME/METADATA.ome.xml`), records the
 * outcome and progress in provenance.json, appends a journal line, removes the writer lock
 * and writes manifest.sha256 last. Throws StorageError (e.g. disk full): the dataset then
 * stays unclosed, every written frame intact, and recovery finishes it later.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { JournalEntry, ProvenanceDoc } from './dataset-files';
import { appendJsonLine, readFrameRecords, readJsonLines, readProvenance } from './dataset-files';
import {
  type Durability,
  partialSuffix,
  writeFileAtomicSync,
  writeJsonAtomicSync,
} from './fs-atomic';
import type { DatasetSummary, FrameRecord, RunOutcome } from './layout';
import { datasetFiles, framesExpected, planeBytes } from './layout';
import { type KnownHash, listDatasetFiles, lockFileName, writeManifest } from './manifest';
import { type OmeXmlPlane, buildOmeXml } from './ome-xml';
import { storageError } from './storage-error';
import { replaceDescription, walkIfdChain } from './tiff-format';
import { chunkKey, shardPlanesOf } from './zarr-meta';

export interface FinalizeOptions {
  outcome: RunOutcome;
  reason?: string;
  /** Known by the live pipeline; recovery counts `frame-dropped` journal lines instead. */
  framesDropped?: number;
  durability?: Durability;
  recovered?: boolean;
  nowMs?: number;
  /** Hashes the writer computed while writing, by path relative to the dataset folder. */
  knownHashes?: ReadonlyMap<string, KnownHash>;
  /** The live OME-TIFF writer's close (PlaneWriter.finish); recovery has none. */
  finishTiff?: (fd: number, xml: string) => KnownHash | undefined;
}

/**
 * The planes written, in order. For OME-TIFF this also writes the final description into
 * the file (through `o.finishTiff` when it can, adding the file's hash to `known`).
 */
function writtenPlanes(
  files: Set<string>,
  dir: string,
  prov: ProvenanceDoc,
  o: FinalizeOptions,
  known: Map<string, KnownHash>,
): OmeXmlPlane[] {
  const records = readFrameRecords(dir).items;
  if (prov.layout.format !== 'ome-tiff') {
    removeUnlistedChunks(files, dir, prov, records);
    return records.map((record) => ({ record }));
  }
  // Each frames.jsonl line is appended after its IFD is linked, in IFD order; newer lines
  // also name their IFD (a plane whose line failed to append leaves an unnamed IFD).
  const file = path.join(dir, prov.imageFile);
  if (!fs.existsSync(file)) return [];
  const fd = fs.openSync(file, 'r+');
  try {
    const chain = walkIfdChain(fd);
    if (chain.ifdOffsets.length === 0) {
      // A TIFF without an IFD is not a TIFF: a run that ended before its first frame has none.
      fs.rmSync(file);
      files.delete(prov.imageFile);
      return [];
    }
    const planes = records
      .map((record, k) => ({ record, ifd: record.ifd ?? k }))
      .filter((p) => p.ifd < chain.ifdOffsets.length);
    if (planes.length > 0 && chain.descriptionCountAt !== undefined) {
      const xml = buildOmeXml({
        layout: prov.layout,
        planes,
        pixelsData: 'tiff',
        startedAtMs: prov.startedAtMs,
      });
      const hashed = o.finishTiff?.(fd, xml);
      if (hashed) known.set(prov.imageFile, hashed);
      else replaceDescription(fd, chain.descriptionCountAt, xml);
    }
    return planes;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Unsharded OME-Zarr chunks are written in place (zarr-writer.ts), and a plane is complete
 * once its frames.jsonl line is written: a chunk file of a plane without a line may be
 * partial (the writer was killed mid-write, or the line could not be appended) and is
 * removed, so every chunk the dataset keeps is whole and listed. `files` (relative to the
 * dataset folder) loses what is removed.
 */
function removeUnlistedChunks(
  files: Set<string>,
  dir: string,
  prov: ProvenanceDoc,
  records: FrameRecord[],
): void {
  const { layout } = prov;
  if (shardPlanesOf(layout) !== 1 || records.length >= framesExpected(layout)) return;
  const listed = new Set(records.map((r) => `${prov.imageFile}/${chunkKey(layout, r.index)}`));
  // Chunk files are named by a number (…/0/0); metadata files never are.
  for (const rel of files)
    if (
      rel.startsWith(`${prov.imageFile}/`) &&
      /^\d+$/.test(path.posix.basename(rel)) &&
      !listed.has(rel)
    ) {
      fs.rmSync(path.join(dir, rel), { force: true });
      files.delete(rel);
    }
}

export function finalizeDataset(dir: string, o: FinalizeOptions): DatasetSummary {
  const durability = o.durability ?? 'os';
  const nowMs = o.nowMs ?? Date.now();
  try {
    // One walk of the folder: what it holds now, less what is removed, plus what is written
    // below, is what the manifest lists.
    const files = new Set(listDatasetFiles(dir));
    for (const rel of files)
      if (rel.endsWith(partialSuffix)) {
        fs.rmSync(path.join(dir, rel), { force: true });
        files.delete(rel);
      }
    const prov = readProvenance(dir);
    const known = new Map(o.knownHashes);
    const planes = writtenPlanes(files, dir, prov, o, known);
    if (prov.layout.format !== 'ome-tiff') {
      const omeDir = path.join(dir, prov.imageFile, 'OME');
      fs.mkdirSync(omeDir, { recursive: true });
      const xml = buildOmeXml({
        layout: prov.layout,
        planes,
        pixelsData: 'metadata-only',
        startedAtMs: prov.startedAtMs,
      });
      writeFileAtomicSync(path.join(omeDir, 'METADATA.ome.xml'), xml, durability);
      files.add(`${prov.imageFile}/OME/METADATA.ome.xml`);
    }
    const journalFile = path.join(dir, datasetFiles.journal);
    const framesDropped =
      o.framesDropped ??
      readJsonLines<JournalEntry>(journalFile).items.filter((e) => e.event === 'frame-dropped')
        .length;
    const last = planes.at(-1)?.record.index ?? null;
    const progress = {
      framesExpected: framesExpected(prov.layout),
      framesWritten: planes.length,
      framesDropped,
      lastIndex: last,
    };
    const done: ProvenanceDoc = {
      ...prov,
      endedAt: new Date(nowMs).toISOString(),
      outcome: o.outcome,
      reason: o.reason ?? null,
      progress,
      ...(o.recovered ? { recoveredAt: new Date(nowMs).toISOString() } : {}),
    };
    writeJsonAtomicSync(path.join(dir, datasetFiles.provenance), done, durability);
    appendJsonLine(journalFile, {
      timeMs: nowMs,
      event: o.recovered ? 'recovered' : 'closed',
      outcome: o.outcome,
      ...(o.reason ? { reason: o.reason } : {}),
      ...progress,
    });
    fs.rmSync(path.join(dir, lockFileName), { force: true });
    files.add(datasetFiles.provenance).add(datasetFiles.journal);
    writeManifest(dir, durability, known, files);
    return {
      dir,
      outcome: o.outcome,
      bytesWritten: planes.length * planeBytes(prov.layout),
      ...progress,
    };
  } catch (err) {
    throw storageError(
      err,
      'Could not close dataset',
      dir,
      'Written frames are intact; recovery will close it at the next start.',
    );
  }
}
