/**
 * The folders of an OME-Zarr image (`/`-separated chunk keys nest one folder per index),
 * made once per time point, ahead of its planes: when the first plane of (p, t) arrives the
 * folders of (p, t) and of the next time point are made, parents first, one `mkdir` each, on
 * the libuv pool.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DatasetLayout, FrameIndex } from './layout';
import { chunkKey, shardPlanesOf } from './zarr-meta';

export class ZarrFolders {
  /** Folders known to exist. */
  private readonly known = new Set<string>();
  /** Folder trees of time points (key `p/t`) made or being made. */
  private readonly trees = new Map<string, Promise<void>>();

  constructor(
    private readonly root: string,
    private readonly layout: DatasetLayout,
  ) {}

  /** Records a folder made elsewhere (the metadata folders). */
  made(dir: string): void {
    this.known.add(dir);
  }

  /**
   * Resolves once the folders of `i`'s time point exist; starts the next time point's too, so
   * its planes find them made. Folders are made parents first, one `mkdir` each, on the pool.
   */
  forPlane(i: FrameIndex): Promise<void> {
    const { t } = this.layout.sizes;
    const next = i.t + 1 < t ? { p: i.p, t: i.t + 1 } : { p: i.p + 1, t: 0 };
    if (next.p < this.layout.positions) void this.tree(next.p, next.t).catch(() => undefined);
    return this.tree(i.p, i.t);
  }

  private tree(p: number, t: number): Promise<void> {
    const id = `${p}/${t}`;
    let made = this.trees.get(id);
    if (!made) {
      made = this.makeTree(p, t);
      // A failure is not remembered: the next plane of this time point tries again.
      made.catch(() => this.trees.delete(id));
      this.trees.set(id, made);
    }
    return made;
  }

  private async makeTree(p: number, t: number): Promise<void> {
    const { c, z } = this.layout.sizes;
    const wanted: string[] = [];
    for (let ci = 0; ci < c; ci++)
      for (let zi = 0; zi < z; zi += shardPlanesOf(this.layout)) {
        const leaf = path.dirname(
          path.join(this.root, chunkKey(this.layout, { p, t, c: ci, z: zi })),
        );
        for (let d = leaf; d.length > this.root.length; d = path.dirname(d)) wanted.push(d);
      }
    // Parents first (shorter paths), each once.
    for (const d of [...new Set(wanted)].sort((a, b) => a.length - b.length)) {
      if (this.known.has(d)) continue;
      try {
        await fs.promises.mkdir(d);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      this.known.add(d);
    }
  }
}
