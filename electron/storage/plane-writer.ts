/** What the dataset writer needs from an image format: put one plane, release handles. */
import type { FrameIndex } from './layout';
import type { KnownHash } from './manifest';

/** Where a written plane ended up, when the format numbers its planes (OME-TIFF IFDs). */
export interface PlanePlace {
  ifd?: number;
}

export interface PlaneWriter {
  /**
   * Writes one plane; when it resolves, the plane is readable by other processes. Rejects on
   * I/O errors with earlier planes intact. Calls may overlap (different planes); each
   * call's place in the file is fixed when it is made.
   */
  writePlane(index: FrameIndex, pixels: Uint8Array): Promise<PlanePlace>;
  /** Settles when work the writer does after planes are written (e.g. hashing) is done. */
  settled(): Promise<void>;
  /** Closes file handles. Metadata finalisation is separate (see finalize.ts). */
  release(): void;
  /** SHA-256 of files whose final bytes the writer hashed while writing (path relative to the image). */
  readonly knownHashes: ReadonlyMap<string, KnownHash>;
  /**
   * OME-TIFF only: writes the final OME-XML into the image file (open read-write as `fd`)
   * and returns the file's hash, when the writer can do both without reading the file back;
   * undefined leaves it to finalize.ts.
   */
  finish?(fd: number, xml: string): KnownHash | undefined;
}
