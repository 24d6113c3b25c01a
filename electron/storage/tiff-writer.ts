/**
 * Streaming OME-TIFF plane writer (BigTIFF, synchronous, for the writer thread).
 * Per plane: append [pixels][IFD with next = 0] at the end of the file, then link it by
 * rewriting the previous IFD's next pointer (or the header's first-IFD offset), so the file
 * is a valid multipage TIFF after every plane and a crash mid-append leaves only
 * unreferenced bytes. The first IFD's ImageDescription starts as a provisional OME-XML
 * (metadata only); finalize.ts appends the final XML mapping each written plane to its IFD
 * and repoints the description (see tiff-format.ts `replaceDescription`).
 */
import fs from 'node:fs';
import type { Durability } from './fs-atomic';
import { writeAllSync, writeParallel } from './fs-atomic';
import type { DatasetLayout, FrameIndex } from './layout';
import { bytesPerSample, planeBytes } from './layout';
import { buildOmeXml } from './ome-xml';
import type { KnownHash } from './manifest';
import type { PlaneWriter } from './plane-writer';
import { bigTiffHeader, buildIfd, headerBytes, ifdBytes } from './tiff-format';

function align8(n: number): number {
  return n + ((8 - (n % 8)) % 8);
}

export class TiffPlaneWriter implements PlaneWriter {
  private readonly fd: number;
  /** The TIFF is patched in place (IFD links, description): hashed at close. */
  readonly knownHashes: ReadonlyMap<string, KnownHash> = new Map();
  private endOffset = headerBytes;
  /** File offset of the pointer to patch when the next IFD is linked. */
  private linkAt = 8;
  private readonly provisionalXml: string;

  constructor(
    file: string,
    private readonly layout: DatasetLayout,
    private readonly durability: Durability,
    startedAtMs: number,
  ) {
    this.fd = fs.openSync(file, 'wx');
    writeAllSync(this.fd, bigTiffHeader(), 0);
    this.provisionalXml = buildOmeXml({ layout, planes: [], pixelsData: 'tiff', startedAtMs });
  }

  async writePlane(_index: FrameIndex, pixels: Uint8Array): Promise<void> {
    const { sizes } = this.layout;
    if (pixels.byteLength !== planeBytes(this.layout))
      throw new RangeError(
        `plane has ${pixels.byteLength} bytes, expected ${planeBytes(this.layout)}`,
      );
    const stripOffset = this.endOffset;
    const ifdOffset = align8(stripOffset + pixels.byteLength);
    const first = this.linkAt === 8;
    // The first IFD carries the provisional OME-XML right after itself.
    const desc = first ? Buffer.from(this.provisionalXml + '\0', 'utf8') : undefined;
    const ifd = buildIfd({
      widthPx: sizes.x,
      heightPx: sizes.y,
      bitsPerSample: (bytesPerSample(this.layout.pixelType) * 8) as 8 | 16,
      stripOffset,
      stripBytes: pixels.byteLength,
      description: desc && { offset: ifdOffset + ifdBytes(true), bytes: desc.length },
    });
    const tail = desc ? Buffer.concat([ifd.bytes, desc]) : ifd.bytes;
    try {
      await writeParallel(this.fd, pixels, stripOffset);
      writeAllSync(this.fd, tail, ifdOffset);
      if (this.durability === 'disk') fs.fdatasyncSync(this.fd);
    } catch (err) {
      fs.ftruncateSync(this.fd, stripOffset);
      throw err;
    }
    // Link only once pixels and IFD are written: a crash before this leaves the old chain.
    const ptr = Buffer.alloc(8);
    ptr.writeBigUInt64LE(BigInt(ifdOffset), 0);
    writeAllSync(this.fd, ptr, this.linkAt);
    if (this.durability === 'disk') fs.fdatasyncSync(this.fd);
    this.linkAt = ifdOffset + ifd.nextFieldAt;
    this.endOffset = align8(ifdOffset + tail.length);
  }

  release(): void {
    fs.closeSync(this.fd);
  }
}
