/**
 * GPU textures for mosaic cells within a byte budget, least recently used first out.
 * `use()` is called for every cell drawn in a frame: it returns the resident entry (created
 * on first use), or null when making room would mean evicting a texture already used in this
 * frame — so resident bytes never exceed the budget and the view draws what fits.
 * Generic over the resource so the policy is tested without a GPU.
 */
export interface BudgetEntry<R> {
  readonly key: string;
  readonly resource: R;
  readonly bytes: number;
  /** Version of the data last uploaded into the resource. */
  version: number;
  lastUsedFrame: number;
}

export interface BudgetStats {
  residentBytes: number;
  budgetBytes: number;
  entries: number;
  evictions: number;
  /** Draws refused this frame because the budget was full of this frame's textures. */
  refusedThisFrame: number;
}

export class TextureBudget<R> {
  // Map iteration order is insertion order; use() re-inserts, so the first is the LRU.
  private readonly entries = new Map<string, BudgetEntry<R>>();
  private frame = 0;
  private resident = 0;
  private evictions = 0;
  private refused = 0;

  constructor(
    readonly budgetBytes: number,
    private readonly create: (key: string) => R,
    private readonly dispose: (resource: R) => void,
  ) {
    if (!(budgetBytes > 0)) throw new RangeError(`texture budget must be > 0, got ${budgetBytes}`);
  }

  /** Starts a new drawn frame: entries used before it may be evicted again. */
  beginFrame(): void {
    this.frame++;
    this.refused = 0;
  }

  use(key: string, bytes: number): BudgetEntry<R> | null {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      hit.lastUsedFrame = this.frame;
      return hit;
    }
    if (!this.makeRoom(bytes)) {
      this.refused++;
      return null;
    }
    const entry: BudgetEntry<R> = {
      key,
      resource: this.create(key),
      bytes,
      version: -1,
      lastUsedFrame: this.frame,
    };
    this.entries.set(key, entry);
    this.resident += bytes;
    return entry;
  }

  /** Drops one entry (its cell was cleared). */
  drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.resident -= e.bytes;
    this.dispose(e.resource);
  }

  clear(): void {
    for (const key of [...this.entries.keys()]) this.drop(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  stats(): BudgetStats {
    return {
      residentBytes: this.resident,
      budgetBytes: this.budgetBytes,
      entries: this.entries.size,
      evictions: this.evictions,
      refusedThisFrame: this.refused,
    };
  }

  private makeRoom(bytes: number): boolean {
    if (bytes > this.budgetBytes) return false;
    for (const [key, e] of this.entries) {
      if (this.resident + bytes <= this.budgetBytes) break;
      if (e.lastUsedFrame === this.frame) return false;
      this.entries.delete(key);
      this.resident -= e.bytes;
      this.evictions++;
      this.dispose(e.resource);
    }
    return this.resident + bytes <= this.budgetBytes;
  }
}
