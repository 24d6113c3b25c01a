/**
 * Streaming OME-Zarr plane writer (synchronous, for the writer thread).
 * - Zarr v2 and unsharded v3: one chunk file per plane, written atomically (temp + rename).
 * - Zarr v3 sharded: one shard file per `shardPlanes` z planes, index at the start
 *   (`index_location: "start"`). A new shard is created with an all-empty index; each plane
 *   is appended, then the index (≤ 4 KiB for ≤ 255 planes, so one page) is rewritten in
 *   place. A crash therefore leaves the old or the new index, both pointing only at
 *   complete planes: earlier planes of the shard, and all other shards, stay readable.
 *   Trade-off vs temp + rename of whole shards: no rewrite amplification and partial shards
 *   survive a crash, at the cost of possibly a few unreferenced bytes at a shard's end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { crc32c } from './crc32c';
import {
  type Durability,
  writeAllSync,
  writeFileAtomic,
  writeJsonAtomicSync,
  writeParallel,
} from './fs-atomic';
import type { DatasetLayout, FrameIndex } from './layout';
import { planeBytes } from './layout';
import type { KnownHash } from './manifest';
import type { PlaneWriter } from './plane-writer';
import { chunkKey, shardPlanesOf, zarrMetadataFiles } from './zarr-meta';

const emptyEntry = 0xffff_ffff_ffff_ffffn;

interface OpenShard {
  fd: number;
  /** (offset, nbytes) per inner chunk, little-endian u64 pairs, then the crc32c. */
  index: Buffer;
  endOffset: number;
  planesLeft: number;
}

export class ZarrPlaneWriter implements PlaneWriter {
  private readonly madeDirs = new Set<string>();
  private readonly shards = new Map<string, OpenShard>();
  readonly knownHashes = new Map<string, KnownHash>();
  private readonly shardPlanes: number;
  private readonly indexBytes: number;

  /** Creates the `.ome.zarr` folder and writes all group / array metadata. */
  constructor(
    private readonly root: string,
    private readonly layout: DatasetLayout,
    private readonly durability: Durability,
  ) {
    this.shardPlanes = shardPlanesOf(layout);
    this.indexBytes = this.shardPlanes * 16 + 4;
    fs.mkdirSync(root, { recursive: true });
    for (const [rel, doc] of zarrMetadataFiles(layout)) {
      const file = path.join(root, rel);
      this.ensureDir(path.dirname(file));
      writeJsonAtomicSync(file, doc, durability);
    }
  }

  async writePlane(index: FrameIndex, pixels: Uint8Array): Promise<void> {
    if (pixels.byteLength !== planeBytes(this.layout))
      throw new RangeError(
        `plane has ${pixels.byteLength} bytes, expected ${planeBytes(this.layout)}`,
      );
    const key = chunkKey(this.layout, index);
    const file = path.join(this.root, key);
    this.ensureDir(path.dirname(file));
    if (this.shardPlanes === 1) {
      // The chunk file is exactly these bytes: hash them (on the libuv pool, alongside the
      // write) rather than reading the file back at close.
      const [, digest] = await Promise.all([
        writeFileAtomic(file, pixels, this.durability),
        crypto.subtle.digest('SHA-256', pixels as Uint8Array<ArrayBuffer>), // never shared memory
      ]);
      const sha256 = Buffer.from(digest).toString('hex');
      this.knownHashes.set(key, { sha256, bytes: pixels.byteLength });
    } else
      await this.appendToShard(
        file,
        index.z % this.shardPlanes,
        this.planesInShard(index.z),
        pixels,
      );
  }

  release(): void {
    for (const s of this.shards.values()) fs.closeSync(s.fd);
    this.shards.clear();
  }

  private planesInShard(z: number): number {
    const first = z - (z % this.shardPlanes);
    return Math.min(this.shardPlanes, this.layout.sizes.z - first);
  }

  private async appendToShard(
    file: string,
    inner: number,
    planes: number,
    pixels: Uint8Array,
  ): Promise<void> {
    let s = this.shards.get(file);
    if (!s) {
      const index = Buffer.alloc(this.indexBytes);
      for (let k = 0; k < this.shardPlanes * 2; k++) index.writeBigUInt64LE(emptyEntry, k * 8);
      this.sealIndex(index);
      // 'wx': a shard is never reopened within a run (duplicate frames are refused upstream).
      const fd = fs.openSync(file, 'wx');
      s = { fd, index, endOffset: this.indexBytes, planesLeft: planes };
      try {
        writeAllSync(fd, index, 0);
      } catch (err) {
        fs.closeSync(fd);
        fs.rmSync(file, { force: true });
        throw err;
      }
      this.shards.set(file, s);
    }
    const offset = s.endOffset;
    try {
      await writeParallel(s.fd, pixels, offset);
      if (this.durability === 'disk') fs.fdatasyncSync(s.fd);
    } catch (err) {
      // Drop the unreferenced tail so the shard holds only indexed planes.
      fs.ftruncateSync(s.fd, offset);
      throw err;
    }
    s.index.writeBigUInt64LE(BigInt(offset), inner * 16);
    s.index.writeBigUInt64LE(BigInt(pixels.byteLength), inner * 16 + 8);
    this.sealIndex(s.index);
    writeAllSync(s.fd, s.index, 0);
    s.endOffset = offset + pixels.byteLength;
    if (--s.planesLeft === 0) {
      if (this.durability === 'disk') fs.fdatasyncSync(s.fd);
      fs.closeSync(s.fd);
      this.shards.delete(file);
    }
  }

  private sealIndex(index: Buffer): void {
    const body = index.subarray(0, index.length - 4);
    index.writeUInt32LE(crc32c(body), index.length - 4);
  }

  private ensureDir(dir: string): void {
    if (this.madeDirs.has(dir)) return;
    fs.mkdirSync(dir, { recursive: true });
    this.madeDirs.add(dir);
  }
}
