/**
 * The dataset layout: what a run writes, as the runner (D1), the host and the writers agree on
 * it. A dataset is the folder `<root>/<name>/` holding
 *   - `<name>.ome.zarr/` (OME-Zarr 0.4 / 0.5) or `<name>.ome.tif` (BigTIFF OME-TIFF),
 *   - `journal.jsonl`   run journal, one JSON object per line, appended,
 *   - `frames.jsonl`    per-frame metadata, one {@link FrameRecord} per written frame, appended
 *                       after the frame's pixels are durable,
 *   - `provenance.json` config, app version, operator, start/end, device states, outcome,
 *   - `manifest.sha256` written LAST at close (or by recovery): `<sha256>  <posix path>` per
 *                       file, sorted, excluding itself. A manifest means the dataset is closed.
 * See docs/datasets.md.
 */
import { z } from 'zod';
import type { FrameMeta } from '../api/contract';

export const datasetFormats = ['ome-zarr-0.4', 'ome-zarr-0.5', 'ome-tiff'] as const;
export type DatasetFormat = (typeof datasetFormats)[number];

export const pixelTypes = ['uint8', 'uint16'] as const;
export type PixelType = (typeof pixelTypes)[number];

const count = z.number().int().min(1);
const positive = z.number().finite().positive();

/** One channel of the image: display hints for viewers (OME-Zarr `omero`, OME-XML Channel). */
export const channelInfo = z
  .object({
    name: z.string().min(1),
    /** Display colour as 6 hex digits RRGGBB, no `#`. */
    colorHex: z.string().regex(/^[0-9A-Fa-f]{6}$/, 'a colour as 6 hex digits RRGGBB'),
    /** Display window in pixel counts: [start, end] shown, [min, max] range of the slider. */
    window: z
      .object({ start: z.number(), end: z.number(), min: z.number(), max: z.number() })
      .strict(),
    /** Excitation wavelength (nm) when the channel has one laser line. */
    excitationNm: positive.optional(),
  })
  .strict();
export type ChannelInfo = z.infer<typeof channelInfo>;

/** The shape and physical scale of a dataset; fixed for the whole run. */
export const datasetLayout = z
  .object({
    /** Folder and file stem: letters, digits, `.`, `-`, `_`; no path separators. */
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'letters, digits, ".", "-" or "_" (max 128)'),
    format: z.enum(datasetFormats).default('ome-zarr-0.4'),
    pixelType: z.enum(pixelTypes).default('uint16'),
    /** Number of stage positions; each is its own image (zarr series `<p>/`, OME Image `p`). */
    positions: count,
    sizes: z.object({ t: count, c: count, z: count, y: count, x: count }).strict(),
    channels: z.array(channelInfo).min(1),
    physical: z
      .object({
        pixelSizeUm: positive,
        /** Distance between z planes (µm); 1 when there is a single plane. */
        zStepUm: positive,
        /** Time between time points (s); 1 when there is a single time point. */
        timeIntervalS: positive,
      })
      .strict(),
    /**
     * Zarr v3 only: planes per shard along z (1 = no sharding). Ignored for other formats.
     * At most 255 so the shard index (16 B per plane + 4) fits one 4 KiB page (crash safety).
     */
    shardPlanes: z.number().int().min(1).max(255).default(1),
  })
  .strict()
  .superRefine((l, ctx) => {
    if (l.channels.length !== l.sizes.c)
      ctx.addIssue({
        code: 'custom',
        path: ['channels'],
        message: `has ${l.channels.length} entries but sizes.c is ${l.sizes.c}`,
      });
  });
export type DatasetLayout = z.output<typeof datasetLayout>;
export type DatasetLayoutInput = z.input<typeof datasetLayout>;

/** Where a frame goes: position, time point, channel, z plane (all 0-based). */
export interface FrameIndex {
  p: number;
  t: number;
  c: number;
  z: number;
}

/** Per-frame metadata kept in the dataset: the camera's FrameMeta minus transport fields. */
export type DatasetFrameMeta = Omit<FrameMeta, 'sentAtMs'> & {
  /** Channel preset name the frame was taken with. */
  channel: string;
};

/** One line of `frames.jsonl`: the index, the metadata, and when the writer made it durable. */
export interface FrameRecord {
  index: FrameIndex;
  meta: DatasetFrameMeta;
  writtenAtMs: number;
  /** OME-TIFF: the IFD (page) holding the plane. */
  ifd?: number;
}

/** A frame handed to a sink. `pixels` is transferred to the writer (detached after write). */
export interface DatasetFrame {
  meta: DatasetFrameMeta;
  /** Row-major y×x samples of `pixelType`, little-endian; byteLength = y·x·bytesPerSample. */
  pixels: ArrayBuffer;
}

export type RunOutcome = 'complete' | 'interrupted' | 'failed' | 'cancelled';

/** What the runner tells the sink at the end. */
export interface RunEnd {
  outcome: RunOutcome;
  /** Human-readable reason for failed / interrupted / cancelled. */
  reason?: string;
}

/** Provenance given when the dataset is opened. */
export interface RunProvenance {
  appVersion: string;
  operator: string;
  /** The resolved Aquila config (secrets already removed by the caller). */
  config: unknown;
  /** The plan as run (useq MDASequence JSON), if any. */
  plan?: unknown;
  /** Device states at start: whatever the host snapshot holds. */
  deviceStates?: unknown;
  /** Access control at start: the controller, the session's audit trail, the audit file. */
  access?: unknown;
}

/** How far a run got; recorded in provenance.json at close or by recovery. */
export interface DatasetProgress {
  framesExpected: number;
  framesWritten: number;
  framesDropped: number;
  lastIndex: FrameIndex | null;
}

export interface DatasetSummary extends DatasetProgress {
  dir: string;
  outcome: RunOutcome;
  bytesWritten: number;
}

/**
 * What the runner writes into. `write` resolves when the frame has been accepted into the
 * bounded queue (back-pressure: it waits while the queue is full); a write error (disk full)
 * rejects this or a later `write` and `close`, with the earlier frames intact.
 */
export interface RunSink {
  write(frame: DatasetFrame, index: FrameIndex): Promise<void>;
  /**
   * A buffer of one plane's bytes for the next frame (a written frame's, when one is free),
   * so the camera fills it instead of allocating. Contents are stale.
   */
  takeBuffer?(): ArrayBuffer;
  close(end: RunEnd): Promise<DatasetSummary>;
}

export function bytesPerSample(t: PixelType): number {
  return t === 'uint8' ? 1 : 2;
}

export function planeBytes(l: Pick<DatasetLayout, 'sizes' | 'pixelType'>): number {
  return l.sizes.y * l.sizes.x * bytesPerSample(l.pixelType);
}

export function framesExpected(l: Pick<DatasetLayout, 'sizes' | 'positions'>): number {
  return l.positions * l.sizes.t * l.sizes.c * l.sizes.z;
}

/** Linear plane number in p, t, c, z order (z fastest) — the OME-TIFF IFD order. */
export function planeNumber(l: Pick<DatasetLayout, 'sizes'>, i: FrameIndex): number {
  const { t, c, z } = l.sizes;
  return ((i.p * t + i.t) * c + i.c) * z + i.z;
}

export const datasetFiles = {
  journal: 'journal.jsonl',
  frames: 'frames.jsonl',
  provenance: 'provenance.json',
  manifest: 'manifest.sha256',
  /** Issue #16 §2: SLURM analysis jobs and outcomes, written after archiving; not in the manifest. */
  analysis: 'analysis.json',
} as const;

export function imageFileName(l: Pick<DatasetLayout, 'name' | 'format'>): string {
  return l.format === 'ome-tiff' ? `${l.name}.ome.tif` : `${l.name}.ome.zarr`;
}
