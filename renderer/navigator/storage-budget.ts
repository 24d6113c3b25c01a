/**
 * The stored mosaic's byte budget (mosaic-persistence.ts): which stored cells to delete when
 * the store holds more than the budget. Oldest written first; among cells written at the same
 * time the finest level first (a coarse level keeps the overview of a region for a fraction of
 * the bytes). Cells `keep` names (being written now) are never chosen. Pure.
 */
export interface StoredEntry {
  level: number;
  /** When it was last written (ms; 0 when unknown — stored before stamps were kept). */
  writtenAt: number;
}

export function storageVictims(
  entries: ReadonlyMap<string, StoredEntry>,
  cellBytes: number,
  budgetBytes: number,
  keep: (key: string) => boolean = () => false,
): string[] {
  let over = entries.size * cellBytes - budgetBytes;
  if (over <= 0) return [];
  const order = [...entries]
    .filter(([key]) => !keep(key))
    .sort(([, a], [, b]) => a.writtenAt - b.writtenAt || a.level - b.level);
  const out: string[] = [];
  for (const [key] of order) {
    if (over <= 0) break;
    out.push(key);
    over -= cellBytes;
  }
  return out;
}
