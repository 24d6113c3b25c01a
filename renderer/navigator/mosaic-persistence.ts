/**
 * Keeps the mosaic in the browser's IndexedDB so reopening the page shows the map again.
 * One record per cell, keyed by session (the instrument's config path: one map per
 * microscope setup) and cell key. Changed cells are written at most every FLUSH_MS. At start
 * only the keys are read; cells are loaded when the view needs them. A cell the pyramid
 * lists in `needsMerge` first takes the stored texels it lacks, in the same transaction.
 *
 * The store is bounded: after each write, beyond `budgetBytes` the oldest written cells go
 * first, the finest level first among equals (storage-budget.ts); they leave the pyramid's
 * offloaded list too. Each record carries `writtenAt`, read at start with the keys through
 * the [session, writtenAt] index (cells stored before it count as oldest).
 */
import { CELL_BYTES, type MosaicCell, type MosaicPyramid } from './mosaic-pyramid';
import { storageVictims, type StoredEntry } from './storage-budget';

const DB_NAME = 'aquila-navigator';
const STORE = 'cells';
const BY_AGE = 'sessionWritten';
export const FLUSH_MS = 1000;
/** Default bound of one session's stored mosaic (8192 cells). */
export const DEFAULT_STORAGE_BUDGET_BYTES = 1024 * 1024 * 1024;

export interface StoredCell {
  id: string;
  session: string;
  channel: string;
  level: number;
  ix: number;
  iy: number;
  data: Uint16Array;
  writtenAt: number;
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
  /** What this session has stored (from loadKeys, then every write and deletion). */
  private readonly stored = new Map<string, StoredEntry>();
  /** Cells deleted to stay within the budget (for the debug probe). */
  evicted = 0;

  /** Changed cells not yet written. */
  get pending(): boolean {
    return this.dirty.size > 0 || this.flushing > 0;
  }

  private constructor(
    private readonly db: IDBDatabase,
    readonly session: string,
    private readonly mosaic: MosaicPyramid,
    private readonly onError: (err: Error) => void,
    readonly budgetBytes: number,
  ) {}

  /** Null where IndexedDB is unavailable (the map then lasts as long as the page). */
  static async open(
    session: string,
    mosaic: MosaicPyramid,
    onError: (err: Error) => void,
    budgetBytes = DEFAULT_STORAGE_BUDGET_BYTES,
  ): Promise<MosaicPersistence | null> {
    if (typeof indexedDB === 'undefined') return null;
    const req = indexedDB.open(DB_NAME, 2);
    req.onupgradeneeded = (e) => {
      const db = req.result;
      const store =
        e.oldVersion < 1
          ? db.createObjectStore(STORE, { keyPath: 'id' })
          : req.transaction!.objectStore(STORE);
      if (e.oldVersion < 1) store.createIndex('session', 'session');
      store.createIndex(BY_AGE, ['session', 'writtenAt']);
    };
    return new MosaicPersistence(await request(req), session, mosaic, onError, budgetBytes);
  }

  /** Cell keys stored for this session (and when each was written, for the budget). */
  async loadKeys(): Promise<string[]> {
    const tx = this.db.transaction(STORE, 'readonly');
    const store = tx.objectStore(STORE);
    const ids = await request(store.index('session').getAllKeys(this.session));
    const keys = ids.map((id) => this.keyOf(id));
    for (const k of keys) this.stored.set(k, { level: levelOf(k), writtenAt: 0 });
    const range = IDBKeyRange.bound([this.session, -Infinity], [this.session, Infinity]);
    await new Promise<void>((resolve, reject) => {
      const cursor = store.index(BY_AGE).openKeyCursor(range);
      cursor.onerror = () => reject(cursor.error ?? new Error('IndexedDB cursor failed'));
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (!c) return resolve();
        const entry = this.stored.get(this.keyOf(c.primaryKey));
        if (entry) entry.writtenAt = (c.key as [string, number])[1];
        c.continue();
      };
    });
    return keys;
  }

  async loadCells(keys: readonly string[]): Promise<StoredCell[]> {
    const tx = this.db.transaction(STORE, 'readonly');
    const store = tx.objectStore(STORE);
    const found = await Promise.all(keys.map((k) => request(store.get(this.id(k)))));
    return found.filter((r): r is StoredCell => r !== undefined);
  }

  /** Saved as it is in memory (may leave memory). */
  isClean(key: string): boolean {
    return !this.dirty.has(key) && !this.inFlight.has(key) && this.stored.has(key);
  }

  /** Cells stored for this session. */
  get storedCells(): number {
    return this.stored.size;
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
    const now = Date.now();
    for (const c of cells) this.stored.set(c.key, { level: c.level, writtenAt: now });
    this.flushing++;
    try {
      await done(tx);
      this.written += cells.length;
    } finally {
      this.flushing--;
      for (const c of cells) this.inFlight.delete(c.key);
    }
    await this.enforceBudget();
  }

  /** Deletes the cells storageVictims picks until the store is within the budget. */
  private async enforceBudget(): Promise<void> {
    const victims = storageVictims(
      this.stored,
      CELL_BYTES,
      this.budgetBytes,
      (k) => this.dirty.has(k) || this.inFlight.has(k),
    );
    if (victims.length === 0) return;
    const tx = this.db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    for (const k of victims) {
      store.delete(this.id(k));
      this.stored.delete(k);
      // Gone from storage: not loadable any more, nothing stored to merge.
      this.mosaic.offloaded.delete(k);
      this.mosaic.needsMerge.delete(k);
    }
    await done(tx);
    this.evicted += victims.length;
  }

  async clear(): Promise<void> {
    this.dirty.clear();
    this.stored.clear();
    const tx = this.db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    const keys = await request(store.index('session').getAllKeys(this.session));
    for (const k of keys) store.delete(k);
    await done(tx);
  }

  private id(key: string): string {
    return `${this.session}#${key}`;
  }

  private keyOf(id: IDBValidKey): string {
    return String(id).slice(this.session.length + 1);
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
      writtenAt: Date.now(),
    };
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.db.close();
  }
}

/** A cell key's level (`channel|level|ix|iy`; channel names may hold '|'). */
function levelOf(key: string): number {
  return Number(key.split('|').at(-3));
}
