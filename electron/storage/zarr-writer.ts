/**
 * Streaming OME-Zarr plane writer (for the writer thread; file I/O on the libuv pool).
 * - Each time point's folder tree is created once, ahead of its planes (zarr-folders.ts).
 * - Zarr v2 and unsharded v3: one chunk file per plane, created under its final name and
 *   written in place (no temp + rename). A crash can leave a partial chunk file, but only of
 *   a plane not yet listed in frames.jsonl (its line is appended after the chunk is written
 *   and closed); finalize.ts removes unlisted chunks. The chunk's SHA-256 is computed from
 *   the pixels in hand on this thread while the pool writes them (no read-back).
 * - Zarr v3 sharded: one shard file per `shardPlanes` z planes, index at the start
 *   (`index_location: "start"`). A new shard is created with an all-empty index; each plane
 *   is appended, then the index (≤ 4 KiB for ≤ 255 planes, so one page) is rewritten in
 *   place. When a shard's planes arrive in z order its SHA-256 is fed while writing (final
 *   index first, then each plane from the buffer in hand); otherwise it is read back on a
 *   hash thread once complete. A crash therefore leaves the old or the new index, both pointing only at
 *   complete planes: earlier planes of the shard, and all other shards, stay readable.
 *   Trade-off vs temp + rename of whole shards: no rewrite amplification and partial shards
 *   survive a crash, at the cost of possibly a few unreferenced bytes at a shard's end.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { crc32c } from './crc32c';
import { FileHasher } from './file-hasher';
import {
  type Durability,
  writeJsonAtomicSync,
  closeAsync,
  fdatasyncAsync,
  openAsync,
  writeChunks,
} from './fs-atomic';
import type { DatasetLayout, FrameIndex } from './layout';
import { planeBytes } from './layout';
import type { KnownHash } from './manifest';
import type { PlanePlace, PlaneWriter } from './plane-writer';
import { ZarrFolders } from './zarr-folders';
import { chunkKey, shardPlanesOf, zarrMetadataFiles } from './zarr-meta';

const emptyEntry = 0xffff_ffff_ffff_ffffn;
/** Files waiting for their hash before a plane write waits too (each is a few MiB of cache). */
const maxHashesPending = 16;

interface OpenShard {
  fd: number;
  /** (offset, nbytes) per inner chunk, little-endian u64 pairs, then the crc32c. */
  index: Buffer;
  /** Bumped on every change of `index`; `indexOnFile` is the version last written. */
  indexVersion: number;
  indexOnFile: number;
  indexWrite: Promise<void> | null;
  endOffset: number;
  planesLeft: number;
  /**
   * SHA-256 of the shard as it will be when its planes arrive in order (the usual case):
   * fed with the final index (planes back to back in order) and each plane as it is placed;
   * undefined once a plane comes out of order or fails (the shard is then read back).
   */
  hash: Hash | undefined;
  hashedPlanes: number;
  finalIndex: Buffer;
}

export class ZarrPlaneWriter implements PlaneWriter {
  private readonly folders: ZarrFolders;
  /** Shards being created, then open until their last plane is in. */
  private readonly opening = new Map<string, Promise<OpenShard>>();
  private readonly shards = new Map<string, OpenShard>();
  /** Finished chunk files and shards are hashed on hash threads, read from the page cache. */
  private readonly hasher = new FileHasher();
  private readonly hashing = new Set<Promise<void>>();
  readonly knownHashes = new Map<string, KnownHash>();
  private readonly shardPlanes: number;
  private readonly indexBytes: number;

  /** Creates the `.ome.zarr` folder and writes all group / array metadata. */
  constructor(
    private readonly root: string,
    private readonly layout: DatasetLayout,
    private readonly durability: Durability,
    /** Live archiving: a chunk or shard is complete and hashed (key relative to the image). */
    private readonly onFinal?: (key: string, h: KnownHash) => void,
  ) {
    this.shardPlanes = shardPlanesOf(layout);
    this.folders = new ZarrFolders(root, layout);
    this.indexBytes = this.shardPlanes * 16 + 4;
    fs.mkdirSync(root, { recursive: true });
    for (const [rel, doc] of zarrMetadataFiles(layout)) {
      const file = path.join(root, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      this.folders.made(path.dirname(file));
      writeJsonAtomicSync(file, doc, durability);
    }
  }

  async writePlane(index: FrameIndex, pixels: Uint8Array): Promise<PlanePlace> {
    if (pixels.byteLength !== planeBytes(this.layout))
      throw new RangeError(
        `plane has ${pixels.byteLength} bytes, expected ${planeBytes(this.layout)}`,
      );
    const key = chunkKey(this.layout, index);
    const file = path.join(this.root, key);
    await this.folders.forPlane(index);
    if (this.shardPlanes === 1) await this.writeChunk(key, file, pixels);
    else
      await this.appendToShard(
        key,
        file,
        index.z % this.shardPlanes,
        this.planesInShard(index.z),
        pixels,
      );
    return {};
  }

  async settled(): Promise<void> {
    await Promise.all(this.hashing);
  }

  release(): void {
    this.hasher.close();
    for (const s of this.shards.values()) fs.closeSync(s.fd);
    this.shards.clear();
  }

  private planesInShard(z: number): number {
    const first = z - (z % this.shardPlanes);
    return Math.min(this.shardPlanes, this.layout.sizes.z - first);
  }

  /** Creates a shard holding only its all-empty index, on the pool. */
  private async openShard(file: string, planes: number): Promise<OpenShard> {
    const index = Buffer.alloc(this.indexBytes);
    for (let k = 0; k < this.shardPlanes * 2; k++) index.writeBigUInt64LE(emptyEntry, k * 8);
    this.sealIndex(index);
    // 'wx': a shard is never reopened within a run (duplicate frames are refused upstream).
    const fd = await openAsync(file, 'wx');
    try {
      await writeChunks(fd, [index], 0);
    } catch (err) {
      await closeAsync(fd);
      await fs.promises.rm(file, { force: true });
      throw err;
    }
    const finalIndex = Buffer.from(index);
    const bytes = planeBytes(this.layout);
    for (let k = 0; k < planes; k++) {
      finalIndex.writeBigUInt64LE(BigInt(this.indexBytes + k * bytes), k * 16);
      finalIndex.writeBigUInt64LE(BigInt(bytes), k * 16 + 8);
    }
    this.sealIndex(finalIndex);
    const s: OpenShard = {
      fd,
      index,
      indexVersion: 0,
      indexOnFile: 0,
      indexWrite: null,
      endOffset: this.indexBytes,
      planesLeft: planes,
      hash: createHash('sha256').update(finalIndex),
      hashedPlanes: 0,
      finalIndex,
    };
    this.shards.set(file, s);
    return s;
  }

  private async appendToShard(
    key: string,
    file: string,
    inner: number,
    planes: number,
    pixels: Uint8Array,
  ): Promise<void> {
    let opening = this.opening.get(file);
    if (!opening) {
      opening = this.openShard(file, planes);
      // A failed open is not remembered: the next plane for this shard tries again.
      opening.catch(() => this.opening.delete(file));
      this.opening.set(file, opening);
    }
    const s = await opening;
    // Reserve this plane's place now, so planes of one shard can be written concurrently.
    const offset = s.endOffset;
    const end = offset + pixels.byteLength;
    s.endOffset = end;
    const written = writeChunks(s.fd, [pixels], offset).then(async () => {
      if (this.durability === 'disk') await fdatasyncAsync(s.fd);
    });
    written.catch(() => undefined); // awaited below, after the hash
    // In order and in its expected place: hash it here while the pool writes it.
    if (
      s.hash &&
      inner === s.hashedPlanes &&
      offset === this.indexBytes + inner * pixels.byteLength
    ) {
      s.hash.update(pixels);
      s.hashedPlanes++;
    } else s.hash = undefined;
    try {
      await written;
    } catch (err) {
      s.hash = undefined;
      // Give the space back unless a later plane has been placed after it already (then the
      // bytes stay, unreferenced by the index).
      if (s.endOffset === end) {
        s.endOffset = offset;
        fs.ftruncateSync(s.fd, offset);
      }
      throw err;
    }
    // The index names only planes whose bytes are complete.
    s.index.writeBigUInt64LE(BigInt(offset), inner * 16);
    s.index.writeBigUInt64LE(BigInt(pixels.byteLength), inner * 16 + 8);
    this.sealIndex(s.index);
    await this.indexWritten(s, ++s.indexVersion);
    if (--s.planesLeft === 0) {
      this.shards.delete(file);
      this.opening.delete(file);
      await closeAsync(s.fd);
      // Every plane and the last index are in. Hashed while writing when the planes came in
      // order (then the index on file is the one hashed first); else read back now, while
      // the shard is in the page cache, instead of at close.
      if (s.hash && s.hashedPlanes === planes && s.index.equals(s.finalIndex))
        this.fileComplete(key, {
          sha256: s.hash.digest('hex'),
          bytes: this.indexBytes + planes * pixels.byteLength,
        });
      else await this.hashLater(key, file);
    }
  }

  /**
   * Hashes a finished file on a hash thread. Waits only while many hashes are pending, so
   * hashing cannot fall far behind the writes (nor the page cache drop what it must read).
   */
  private async hashLater(key: string, file: string): Promise<void> {
    const p = this.hasher.hash(file).then(
      (h) => this.fileComplete(key, h),
      () => undefined, // no known hash: the manifest reads the file at close
    );
    this.hashing.add(p);
    void p.finally(() => this.hashing.delete(p));
    if (this.hashing.size > maxHashesPending) await Promise.race(this.hashing);
  }

  /**
   * Resolves once the shard's index on file is at least `version`. Index writes go through
   * the pool one at a time (each a snapshot of the latest index), so a write never blocks
   * this thread behind plane writes to the same file, and an older index never lands after
   * a newer one.
   */
  private async indexWritten(s: OpenShard, version: number): Promise<void> {
    while (s.indexOnFile < version) {
      if (!s.indexWrite) {
        const snapshot = Buffer.from(s.index);
        const v = s.indexVersion;
        s.indexWrite = writeChunks(s.fd, [snapshot], 0)
          .then(async () => {
            if (this.durability === 'disk') await fdatasyncAsync(s.fd);
            s.indexOnFile = v;
          })
          .finally(() => (s.indexWrite = null));
      }
      await s.indexWrite;
    }
  }

  private sealIndex(index: Buffer): void {
    const body = index.subarray(0, index.length - 4);
    index.writeUInt32LE(crc32c(body), index.length - 4);
  }

  /**
   * Writes one chunk file in place: created under its final name ('wx': never an existing
   * chunk), written, closed. Hashed here from the pixels while the pool writes them. A failed
   * write removes the file.
   */
  private async writeChunk(key: string, file: string, pixels: Uint8Array): Promise<void> {
    const fd = await openAsync(file, 'wx');
    let sha256: string;
    try {
      const written = writeChunks(fd, [pixels], 0).then(async () => {
        if (this.durability === 'disk') await fdatasyncAsync(fd);
      });
      written.catch(() => undefined); // awaited below, after the hash
      sha256 = createHash('sha256').update(pixels).digest('hex');
      await written;
    } catch (err) {
      await closeAsync(fd);
      await fs.promises.rm(file, { force: true });
      throw err;
    }
    await closeAsync(fd);
    this.fileComplete(key, { sha256, bytes: pixels.byteLength });
  }

  /**
   * A chunk or shard file is final (every byte written, the writer has closed it) and
   * `hash` is its SHA-256: the one place where the writer learns that a file is complete.
   */
  private fileComplete(key: string, hash: KnownHash): void {
    this.knownHashes.set(key, hash);
    this.onFinal?.(key, hash);
  }
}
