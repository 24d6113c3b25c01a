/**
 * Streaming OME-TIFF plane writer (BigTIFF, for the writer thread).
 * Per plane: reserve space at the end of the file, write [pixels][IFD with next = 0] there,
 * then link it by rewriting the previous IFD's next pointer (or the header's first-IFD
 * offset), so the file is a valid multipage TIFF after every plane and a crash mid-append
 * leaves only unreferenced bytes. Several planes may be written at once; they are linked in
 * the order their writes started. After a failed plane nothing more is linked (the file
 * stays the valid TIFF of the planes before it) and the file is cut back to it. The
 * first IFD's ImageDescription starts as a provisional OME-XML (metadata only); finalize.ts
 * appends the final XML mapping each written plane to its IFD and repoints the description
 * (see tiff-format.ts `replaceDescription`).
 */
import fs from 'node:fs';
import type { Durability } from './fs-atomic';
import { fdatasyncAsync, writeAllSync, writeChunks } from './fs-atomic';
import type { DatasetLayout, FrameIndex } from './layout';
import { bytesPerSample, planeBytes } from './layout';
import { buildOmeXml } from './ome-xml';
import type { KnownHash } from './manifest';
import type { PlanePlace, PlaneWriter } from './plane-writer';
import { bigTiffHeader, buildIfd, headerBytes, ifdBytes } from './tiff-format';

const zeros = new Uint8Array(8);

function align8(n: number): number {
  return n + ((8 - (n % 8)) % 8);
}

export class TiffPlaneWriter implements PlaneWriter {
  private readonly fd: number;
  /** The TIFF is patched in place (IFD links, description): hashed at close. */
  readonly knownHashes: ReadonlyMap<string, KnownHash> = new Map();
  private endOffset = headerBytes;
  private planesStarted = 0;
  /** File offset of the pointer to patch when the next IFD is linked. */
  private linkAt = 8;
  private ifdsLinked = 0;
  /** Settles when the last started plane has been linked (or has failed). */
  private linked: Promise<void> = Promise.resolve();
  /** The first failed plane: its error, and where its bytes began. */
  private failure: { error: unknown; from: number } | undefined;
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

  async writePlane(_index: FrameIndex, pixels: Uint8Array): Promise<PlanePlace> {
    const { sizes } = this.layout;
    if (pixels.byteLength !== planeBytes(this.layout))
      throw new RangeError(
        `plane has ${pixels.byteLength} bytes, expected ${planeBytes(this.layout)}`,
      );
    if (this.failure) throw this.failure.error;
    const stripOffset = this.endOffset;
    const ifdOffset = align8(stripOffset + pixels.byteLength);
    // The first IFD carries the provisional OME-XML right after itself.
    const desc =
      this.planesStarted++ === 0 ? Buffer.from(this.provisionalXml + '\0', 'utf8') : undefined;
    const ifd = buildIfd({
      widthPx: sizes.x,
      heightPx: sizes.y,
      bitsPerSample: (bytesPerSample(this.layout.pixelType) * 8) as 8 | 16,
      stripOffset,
      stripBytes: pixels.byteLength,
      description: desc && { offset: ifdOffset + ifdBytes(true), bytes: desc.length },
    });
    const tail = desc ? Buffer.concat([ifd.bytes, desc]) : ifd.bytes;
    const end = align8(ifdOffset + tail.length);
    this.endOffset = end;
    // Pixels, the padding to the IFD and the IFD in one positional write, on the pool.
    const pad = ifdOffset - (stripOffset + pixels.byteLength);
    const written = (async () => {
      await writeChunks(this.fd, [pixels, zeros.subarray(0, pad), tail], stripOffset);
      if (this.durability === 'disk') await fdatasyncAsync(this.fd);
    })();
    written.catch(() => undefined); // handled in the link step, which may run much later
    // Links happen strictly in start order, each after the previous one settled.
    const link = this.linked.then(async () => {
      try {
        await written;
      } catch (err) {
        this.failure ??= { error: err, from: stripOffset };
      }
      if (this.failure) {
        // Nothing is linked past a failed plane. Once the last plane started has settled,
        // give back the space from the failed plane on (the next write may need it).
        if (this.endOffset === end) {
          this.endOffset = this.failure.from;
          fs.ftruncateSync(this.fd, this.failure.from);
        }
        throw this.failure.error;
      }
      // Link only once pixels and IFD are written: a crash before this leaves the old chain.
      const ptr = Buffer.alloc(8);
      ptr.writeBigUInt64LE(BigInt(ifdOffset), 0);
      await writeChunks(this.fd, [ptr], this.linkAt);
      if (this.durability === 'disk') await fdatasyncAsync(this.fd);
      this.linkAt = ifdOffset + ifd.nextFieldAt;
      return this.ifdsLinked++;
    });
    this.linked = link.then(
      () => undefined,
      () => undefined,
    );
    return { ifd: await link };
  }

  settled(): Promise<void> {
    return this.linked;
  }

  release(): void {
    fs.closeSync(this.fd);
  }
}
