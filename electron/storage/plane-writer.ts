/** What the dataset writer needs from an image format: put one plane, release handles. */
import type { FrameIndex } from './layout';
import type { KnownHash } from './manifest';

export interface PlaneWriter {
  /**
   * Writes one plane; when it resolves, the plane is readable by other processes. Rejects on
   * I/O errors with earlier planes intact. Calls must not overlap (one plane at a time).
   */
  writePlane(index: FrameIndex, pixels: Uint8Array): Promise<void>;
  /** Closes file handles. Metadata finalisation is separate (see finalize.ts). */
  release(): void;
  /** SHA-256 of files whose final bytes the writer hashed while writing (path relative to the image). */
  readonly knownHashes: ReadonlyMap<string, KnownHash>;
}
