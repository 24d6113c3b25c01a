/**
 * Keeps the mosaic in the browser's IndexedDB so reopening the page shows the map again.
 * One record per cell, keyed by session (the instrument's config path: one map per
 * microscope setup) and cell key. Changed cells are written at most every FLUSH_MS. At start
 * only the keys are read; cells are loaded when the view needs them. A cell the pyramid
 * lists in `needsMerge` first takes the stored texels it lacks, in the same transaction.
 */
import type { MosaicCell, MosaicPyramid } from './mosaic-pyramid';

const DB_NAME = 'aquila-navigator';
const STORE = 'cells';
export const FLUSH_MS = 1000;

export interface StoredCell {
  id: string;
  session: string;
  channel: string;
  level: number;
  ix: number;
  iy: number;
  data: Uint16Array;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export class MosaicPersistence {
  private readonly dirty = new Map<string, MosaicCell>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Cells written so far (for the debug probe). */
  written = 0;
  private flushing = 0;
  private readonly inFlight = new Set<string>();

  /** Changed cells not yet written. */
  get pending(): boolean {
    return this.dirty.size > 0 || this.flushing > 0;
  }

  private constructor(
    private readonly db: IDBDatabase,
    readonly session: string,
    private readonly mosaic: MosaicPyramid,
    private readonly onError: (err: Error) => void,
  ) {}

  /** Null where IndexedDB is unavailable (the map then lasts as long as the page). */
  static async open(
    session: string,
    mosaic: MosaicPyramid,
    onError: (err: Error) => void,
  ): Promise<MosaicPersistence | null> {
    if (typeof indexedDB === 'undefined') return null;
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      const store = req.result.createObjectStore(STORE, { keyPath: 'id' });
      store.createIndex('session', 'session');
    };
    return new MosaicPersistence(await request(req), session, mosaic, onError);
  }

  /** Cell keys stored for this session. */
  async loadKeys(): Promise<string[]> {
    const tx = this.db.transaction(STORE, 'readonly');
    const ids = await request(tx.objectStore(STORE).index('session').getAllKeys(this.session));
    return ids.map((id) => String(id).slice(this.session.length + 1));
  }

  async loadCells(keys: readonly string[]): Promise<StoredCell[]> {
    const tx = this.db.transaction(STORE, 'readonly');
    const store = tx.objectStore(STORE);
    const found = await Promise.all(keys.map((k) => request(store.get(this.id(k)))));
    return found.filter((r): r is StoredCell => r !== undefined);
  }

  /** Saved as it is in memory (may leave memory). */
  isClean(key: string): boolean {
    return !this.dirty.has(key) && !this.inFlight.has(key);
  }

  markDirty(cells: readonly MosaicCell[]): void {
    for (const c of cells) this.dirty.set(c.key, c);
    this.timer ??= setTimeout(() => void this.flush().catch(this.onError), FLUSH_MS);
  }

  async flush(): Promise<void> {
    const mosaic = this.mosaic;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.dirty.size === 0) return;
    const cells = [...this.dirty.values()];
    this.dirty.clear();
    for (const c of cells) this.inFlight.add(c.key);
    const tx = this.db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    const put = (c: MosaicCell) => store.put(this.record(c));
    for (const c of cells) {
      if (!mosaic.needsMerge.has(c.key)) {
        put(c);
        continue;
      }
      const get = store.get(this.id(c.key));
      get.onsuccess = () => {
        const stored = get.result as StoredCell | undefined;
        if (stored) mosaic.mergeStored(c.key, stored.data);
        else mosaic.needsMerge.delete(c.key);
        put(c);
      };
    }
    this.flushing++;
    try {
      await done(tx);
      this.written += cells.length;
    } finally {
      this.flushing--;
      for (const c of cells) this.inFlight.delete(c.key);
    }
  }

  async clear(): Promise<void> {
    this.dirty.clear();
    const tx = this.db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    const keys = await request(store.index('session').getAllKeys(this.session));
    for (const k of keys) store.delete(k);
    await done(tx);
  }

  private id(key: string): string {
    return `${this.session}#${key}`;
  }

  private record(c: MosaicCell): StoredCell {
    return {
      id: this.id(c.key),
      session: this.session,
      channel: c.channel,
      level: c.level,
      ix: c.ix,
      iy: c.iy,
      data: c.data.slice(),
    };
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.db.close();
  }
}
