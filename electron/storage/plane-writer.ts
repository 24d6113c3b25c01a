/** What the dataset writer needs from an image format: put one plane, release handles. */
import type { FrameIndex } from './layout';

export interface PlaneWriter {
  /** Writes one plane; when it returns, the plane is readable by other processes. Throws on I/O errors. */
  writePlane(index: FrameIndex, pixels: Uint8Array): void;
  /** Closes file handles. Metadata finalisation is separate (see finalize.ts). */
  release(): void;
}
