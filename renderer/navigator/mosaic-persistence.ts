/**
 * Keeps the mosaic in the browser's IndexedDB so reopening the page shows the map again.
 * One record per cell, keyed by session (the instrument's config path: one map per
 * microscope setup) and cell key. Changed cells are written at most every FLUSH_MS.
 */
import type { MosaicCell } from './mosaic-pyramid';

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

  /** Changed cells not yet written. */
  get pending(): boolean {
    return this.dirty.size > 0 || this.flushing > 0;
  }

  private constructor(
    private readonly db: IDBDatabase,
    readonly session: string,
    private readonly onError: (err: Error) => void,
  ) {}

  /** Null where IndexedDB is unavailable (the map then lasts as long as the page). */
  static async open(
    session: string,
    onError: (err: Error) => void,
  ): Promise<MosaicPersistence | null> {
    if (typeof indexedDB === 'undefined') return null;
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      const store = req.result.createObjectStore(STORE, { keyPath: 'id' });
      store.createIndex('session', 'session');
    };
    return new MosaicPersistence(await request(req), session, onError);
  }

  async load(): Promise<StoredCell[]> {
    const tx = this.db.transaction(STORE, 'readonly');
    const index = tx.objectStore(STORE).index('session');
    return (await request(index.getAll(this.session))) as StoredCell[];
  }

  markDirty(cells: readonly MosaicCell[]): void {
    for (const c of cells) this.dirty.set(c.key, c);
    this.timer ??= setTimeout(() => void this.flush().catch(this.onError), FLUSH_MS);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.dirty.size === 0) return;
    const cells = [...this.dirty.values()];
    this.dirty.clear();
    const tx = this.db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    for (const c of cells) {
      const record: StoredCell = {
        id: `${this.session}#${c.key}`,
        session: this.session,
        channel: c.channel,
        level: c.level,
        ix: c.ix,
        iy: c.iy,
        data: c.data.slice(),
      };
      store.put(record);
    }
    this.flushing++;
    try {
      await done(tx);
    } finally {
      this.flushing--;
    }
    this.written += cells.length;
  }

  async clear(): Promise<void> {
    this.dirty.clear();
    const tx = this.db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    const keys = await request(store.index('session').getAllKeys(this.session));
    for (const k of keys) store.delete(k);
    await done(tx);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.db.close();
  }
}
