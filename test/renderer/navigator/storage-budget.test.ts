import { describe, expect, it } from 'vitest';
import { storageVictims, type StoredEntry } from '../../../renderer/navigator/storage-budget';

const entries = (rows: [string, number, number][]) =>
  new Map<string, StoredEntry>(rows.map(([k, level, writtenAt]) => [k, { level, writtenAt }]));

describe('stored mosaic budget', () => {
  it('nothing goes while within the budget', () => {
    expect(storageVictims(entries([['a', 0, 1]]), 10, 10)).toEqual([]);
    expect(storageVictims(new Map(), 10, 0)).toEqual([]);
  });

  it('beyond it: oldest written first, the finest level first among equals, just enough', () => {
    const e = entries([
      ['new-fine', 0, 300],
      ['old-coarse', 5, 100],
      ['old-fine', 0, 100],
      ['mid', 2, 200],
      ['unknown-age', 3, 0],
    ]);
    // 5 cells of 10 bytes in a 25-byte budget: 3 must go.
    expect(storageVictims(e, 10, 25)).toEqual(['unknown-age', 'old-fine', 'old-coarse']);
    expect(storageVictims(e, 10, 40)).toEqual(['unknown-age']);
  });

  it('never picks a cell being written', () => {
    const e = entries([
      ['a', 0, 1],
      ['b', 0, 2],
      ['c', 0, 3],
    ]);
    expect(storageVictims(e, 10, 10, (k) => k === 'a')).toEqual(['b', 'c']);
  });
});
