/**
 * Streaming OME-TIFF plane writer (BigTIFF, for the writer thread).
 * Per plane: reserve space at the end of the file, write [pixels][IFD with next = 0] there,
 * then link it by rewriting the previous IFD's next pointer (or the header's first-IFD
 * offset), so the file is a valid multipage TIFF after every plane and a crash mid-append
 * leaves only unreferenced bytes. Planes of up to `onThreadPlaneBytes` are written and
 * linked on the calling thread, one after the other; larger ones on the libuv pool, several
 * at once, linked in the order their writes started. After a failed plane nothing more is linked (the file
 * stays the valid TIFF of the planes before it) and the file is cut back to it. The
 * first IFD's ImageDescription starts as a provisional OME-XML (metadata only).
 *
 * Closing. When every planned plane was written, `finish` appends a copy of the first IFD
 * whose description is the final XML and repoints the header at it: the only bytes
 * rewritten at close are the header's first-IFD pointer, whose final value (the end of the
 * planned planes) follows from the layout. So the file's SHA-256 for the manifest is fed in
 * file order as planes are placed (pixels from the buffer in hand, each IFD with its final
 * next pointer) and close need not read gigabytes back. Any other ending (cancelled,
 * failed, recovered) falls back to finalize.ts: `replaceDescription` on the first IFD and
 * hashing the file.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import type { Durability } from './fs-atomic';
import { fdatasyncAsync, writeAllSync, writeChunks, writeChunksSync } from './fs-atomic';
import type { DatasetLayout, FrameIndex } from './layout';
import { bytesPerSample, framesExpected, planeBytes } from './layout';
import { buildOmeXml } from './ome-xml';
import type { KnownHash } from './manifest';
import type { PlanePlace, PlaneWriter } from './plane-writer';
import { type BuiltIfd, bigTiffHeader, buildIfd, headerBytes, ifdBytes } from './tiff-format';

const zeros = new Uint8Array(8);
/**
 * Planes up to this size are written and linked on the writer thread itself: at these sizes
 * the two pool hand-offs per plane (write, then the link, strictly in order) cost more than
 * the copy they would overlap (docs/datasets.md, "Where the time goes").
 */
export const onThreadPlaneBytes = 1 << 20;

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
  private readonly provisionalXml: Buffer;
  /** Where the planned planes end: the final first IFD goes here at close. */
  private readonly plannedEnd: number;
  /** SHA-256 of the file as `finish` will leave it; undefined once that cannot happen. */
  private hash: Hash | undefined = createHash('sha256');
  private hashedTo = 0;
  /** The last placed IFD: hashed once the next one's offset (its final next pointer) is known. */
  private lastIfd: { at: number; tail: Buffer; nextFieldAt: number } | undefined;
  private secondIfdAt = 0;
  private readonly onThisThread: boolean;

  constructor(
    file: string,
    private readonly layout: DatasetLayout,
    private readonly durability: Durability,
    startedAtMs: number,
    /**
     * Live archiving: after each link, bytes [16, finalBytes) of the file are final on disk
     * (the header's first-IFD pointer is rewritten at close; a close other than `finish` may
     * also rewrite the first IFD).
     */
    private readonly onGrown?: (finalBytes: number) => void,
    /** Planes up to this many bytes are written on the calling thread (tests pick a path). */
    onThreadUpTo = onThreadPlaneBytes,
  ) {
    this.onThisThread = planeBytes(layout) <= onThreadUpTo;
    this.fd = fs.openSync(file, 'wx');
    writeAllSync(this.fd, bigTiffHeader(), 0);
    const xml = buildOmeXml({ layout, planes: [], pixelsData: 'tiff', startedAtMs });
    this.provisionalXml = Buffer.from(xml + '\0', 'utf8');
    let end = headerBytes;
    for (let k = 0; k < framesExpected(layout); k++) end = this.place(end, k === 0).end;
    this.plannedEnd = end;
    const header = bigTiffHeader();
    header.writeBigUInt64LE(BigInt(end), 8);
    this.feed(0, header);
  }

  /** Where a plane appended at `end` puts its IFD (8-aligned), and the next free byte. */
  private place(end: number, first: boolean): { ifdOffset: number; end: number } {
    const ifdOffset = align8(end + planeBytes(this.layout));
    const tailBytes = ifdBytes(first) + (first ? this.provisionalXml.length : 0);
    return { ifdOffset, end: align8(ifdOffset + tailBytes) };
  }

  private ifd(stripOffset: number, description?: { offset: number; bytes: number }): BuiltIfd {
    const { sizes } = this.layout;
    return buildIfd({
      widthPx: sizes.x,
      heightPx: sizes.y,
      bitsPerSample: (bytesPerSample(this.layout.pixelType) * 8) as 8 | 16,
      stripOffset,
      stripBytes: planeBytes(this.layout),
      ...(description ? { description } : {}),
    });
  }

  /** Adds the bytes at `at` to the running hash; the gap since the last ones is zeros. */
  private feed(at: number, bytes: Uint8Array): void {
    if (!this.hash) return;
    if (at < this.hashedTo) throw new RangeError(`TIFF hash fed out of order at ${at}`);
    if (at > this.hashedTo) this.hash.update(Buffer.alloc(at - this.hashedTo));
    this.hash.update(bytes);
    this.hashedTo = at + bytes.byteLength;
  }

  async writePlane(_index: FrameIndex, pixels: Uint8Array): Promise<PlanePlace> {
    if (pixels.byteLength !== planeBytes(this.layout))
      throw new RangeError(
        `plane has ${pixels.byteLength} bytes, expected ${planeBytes(this.layout)}`,
      );
    if (this.failure) throw this.failure.error;
    const stripOffset = this.endOffset;
    // The first IFD carries the provisional OME-XML right after itself.
    const first = this.planesStarted++ === 0;
    const { ifdOffset, end } = this.place(stripOffset, first);
    const desc = first ? this.provisionalXml : undefined;
    const ifd = this.ifd(
      stripOffset,
      desc && { offset: ifdOffset + ifdBytes(true), bytes: desc.length },
    );
    const tail = desc ? Buffer.concat([ifd.bytes, desc]) : ifd.bytes;
    this.endOffset = end;
    const pad = ifdOffset - (stripOffset + pixels.byteLength);
    if (this.onThisThread) {
      this.writeNow(stripOffset, [pixels, zeros.subarray(0, pad), tail], stripOffset);
      this.hashPlaced(stripOffset, pixels, ifdOffset, tail, ifd.nextFieldAt);
      this.linkNow(stripOffset, ifdOffset, ifd.nextFieldAt);
      this.onGrown?.(ifdOffset);
      return { ifd: this.ifdsLinked++ };
    }
    // Pixels, the padding to the IFD and the IFD in one positional write, on the pool.
    const written = (async () => {
      await writeChunks(this.fd, [pixels, zeros.subarray(0, pad), tail], stripOffset);
      if (this.durability === 'disk') await fdatasyncAsync(this.fd);
    })();
    written.catch(() => undefined); // handled in the link step, which may run much later
    // Planes are placed in file order, so the hash takes this one now, on this thread while
    // the pool writes the same bytes (a failed plane makes `finish` give up the hash).
    this.hashPlaced(stripOffset, pixels, ifdOffset, tail, ifd.nextFieldAt);
    // Links happen strictly in start order, each after the previous one settled.
    const link = this.linked.then(async () => {
      try {
        await written;
      } catch (err) {
        this.failure ??= { error: err, from: stripOffset };
      }
      if (this.failure) {
        this.hash = undefined;
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
      this.onGrown?.(ifdOffset);
      return this.ifdsLinked++;
    });
    this.linked = link.then(
      () => undefined,
      () => undefined,
    );
    return { ifd: await link };
  }

  /** Writes at `at` on this thread (small planes, see `onThisThread`). */
  private writeNow(at: number, chunks: Uint8Array[], planeFrom: number): void {
    try {
      writeChunksSync(this.fd, chunks, at);
      if (this.durability === 'disk') fs.fdatasyncSync(this.fd);
    } catch (err) {
      // Nothing more is linked; the file is cut back to the valid TIFF before this plane.
      this.failure = { error: err, from: planeFrom };
      this.hash = undefined;
      this.endOffset = planeFrom;
      fs.ftruncateSync(this.fd, planeFrom);
      throw err;
    }
  }

  /** Links the IFD at `ifdOffset`, whose plane and IFD are written, on this thread. */
  private linkNow(stripOffset: number, ifdOffset: number, nextFieldAt: number): void {
    const ptr = Buffer.alloc(8);
    ptr.writeBigUInt64LE(BigInt(ifdOffset), 0);
    this.writeNow(this.linkAt, [ptr], stripOffset);
    this.linkAt = ifdOffset + nextFieldAt;
  }

  /** Feeds a just-placed plane: the IFD before it (with its final next pointer), then its pixels. */
  private hashPlaced(
    stripOffset: number,
    pixels: Uint8Array,
    ifdOffset: number,
    tail: Buffer,
    nextFieldAt: number,
  ): void {
    if (!this.hash) return;
    if (this.lastIfd) {
      this.lastIfd.tail.writeBigUInt64LE(BigInt(ifdOffset), this.lastIfd.nextFieldAt);
      this.feed(this.lastIfd.at, this.lastIfd.tail);
    }
    if (this.planesStarted === 2) this.secondIfdAt = ifdOffset;
    this.feed(stripOffset, pixels);
    this.lastIfd = { at: ifdOffset, tail: Buffer.from(tail), nextFieldAt };
  }

  /**
   * Close of a run that wrote every planned plane (`fd`: the file opened read-write, after
   * `release`): appends the final first IFD with `xml` as its description, repoints the
   * header at it and returns the file's SHA-256, hashed while writing. Undefined, with
   * nothing written, for any other ending: the caller then uses `replaceDescription` and
   * hashes the file.
   */
  finish(fd: number, xml: string): KnownHash | undefined {
    const { hash, lastIfd } = this;
    if (
      !hash ||
      !lastIfd ||
      this.failure ||
      this.ifdsLinked !== framesExpected(this.layout) ||
      this.endOffset !== this.plannedEnd
    ) {
      this.hash = undefined;
      return undefined;
    }
    const at = this.plannedEnd;
    const desc = Buffer.from(xml + '\0', 'utf8');
    const ifd = this.ifd(headerBytes, { offset: at + ifdBytes(true), bytes: desc.length });
    ifd.bytes.writeBigUInt64LE(BigInt(this.secondIfdAt), ifd.nextFieldAt);
    const tail = Buffer.concat([ifd.bytes, desc]);
    this.feed(lastIfd.at, lastIfd.tail); // the last IFD's next pointer stays 0
    this.feed(at, tail);
    this.hash = undefined;
    // The new first IFD is complete before the header points at it: a crash in between
    // leaves the provisional description, which recovery replaces.
    writeAllSync(fd, tail, at);
    if (this.durability === 'disk') fs.fdatasyncSync(fd);
    const ptr = Buffer.alloc(8);
    ptr.writeBigUInt64LE(BigInt(at), 0);
    writeAllSync(fd, ptr, 8);
    if (this.durability === 'disk') fs.fdatasyncSync(fd);
    return { sha256: hash.digest('hex'), bytes: at + tail.length };
  }

  settled(): Promise<void> {
    return this.linked;
  }

  release(): void {
    fs.closeSync(this.fd);
  }
}
