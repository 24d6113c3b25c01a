/** Messages between the frame pipeline (host) and its writer thread. */
import type { SerializedError } from '../../drivers/errors';
import type { Durability } from '../storage/fs-atomic';
import type {
  DatasetFrameMeta,
  DatasetLayout,
  DatasetSummary,
  FrameIndex,
  RunEnd,
  RunProvenance,
} from '../storage/layout';

export interface WriterInit {
  root: string;
  layout: DatasetLayout;
  provenance: RunProvenance;
  durability: Durability;
}

export type ToWriter =
  /** `pixels` is transferred, not copied. */
  | { type: 'frame'; id: number; index: FrameIndex; meta: DatasetFrameMeta; pixels: ArrayBuffer }
  | { type: 'journal'; event: string; fields: Record<string, unknown> }
  | { type: 'close'; end: RunEnd; framesDropped: number };

/** A dataset file that is complete, hashed and never written again (live archiving). */
export interface FinalFile {
  /** Relative posix path inside the dataset folder. */
  rel: string;
  sha256: string;
  sizeBytes: number;
}

/** A file still growing whose bytes [16, finalBytes) are final (the OME-TIFF; live archiving). */
export interface GrowingFile {
  rel: string;
  finalBytes: number;
}

export type FromWriter =
  | { type: 'opened'; dir: string }
  | { type: 'open-failed'; error: SerializedError }
  /** `pixels` is the frame's buffer transferred back for reuse (see FramePipeline.takeBuffer). */
  | { type: 'written'; id: number; bytes: number; pixels: ArrayBuffer }
  /** A frame was not written; `fatal` = the writer refuses further frames (e.g. disk full). */
  | { type: 'write-failed'; id: number; bytes: number; error: SerializedError; fatal: boolean }
  /** Live archiving: `rel` is complete and hashed and will not change again. */
  | ({ type: 'file-final' } & FinalFile)
  | ({ type: 'file-growing' } & GrowingFile)
  | { type: 'closed'; summary: DatasetSummary }
  | { type: 'close-failed'; error: SerializedError };
