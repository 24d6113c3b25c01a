import { describe, expect, it } from 'vitest';
import { TextureBudget } from '../../../renderer/navigator/texture-budget';

function budget(bytes: number) {
  const live = new Set<string>();
  const disposed: string[] = [];
  const b = new TextureBudget<string>(
    bytes,
    (key) => (live.add(key), key),
    (r) => (live.delete(r), disposed.push(r)),
  );
  return { b, live, disposed };
}

describe('texture budget', () => {
  it('evicts the least recently used texture to stay within the budget', () => {
    const { b, live, disposed } = budget(300);
    b.beginFrame();
    b.use('a', 100);
    b.use('b', 100);
    b.use('c', 100);
    b.beginFrame();
    b.use('a', 100); // a is now the most recent
    b.use('d', 100); // evicts b (least recent)
    expect(disposed).toEqual(['b']);
    expect([...live].sort()).toEqual(['a', 'c', 'd']);
    expect(b.stats()).toMatchObject({ residentBytes: 300, entries: 3, evictions: 1 });
  });

  it('never evicts a texture drawn in the current frame: the extra draw is refused', () => {
    const { b, disposed } = budget(250);
    b.beginFrame();
    expect(b.use('a', 100)).not.toBeNull();
    expect(b.use('b', 100)).not.toBeNull();
    expect(b.use('c', 100)).toBeNull();
    expect(disposed).toEqual([]);
    expect(b.stats()).toMatchObject({ residentBytes: 200, refusedThisFrame: 1 });
    b.beginFrame();
    expect(b.use('c', 100)).not.toBeNull();
    expect(b.stats().residentBytes).toBeLessThanOrEqual(250);
  });

  it('resident bytes never exceed the budget over many frames of random use', () => {
    const { b, live } = budget(1000);
    let seed = 1;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let f = 0; f < 200; f++) {
      b.beginFrame();
      for (let i = 0; i < 8; i++) b.use(`t${Math.floor(rnd() * 40)}`, 64 + Math.floor(rnd() * 100));
      expect(b.stats().residentBytes).toBeLessThanOrEqual(1000);
      expect(live.size).toBe(b.stats().entries);
    }
    expect(b.stats().evictions).toBeGreaterThan(0);
  });

  it('a texture larger than the whole budget is refused; drop and clear dispose', () => {
    const { b, live } = budget(100);
    b.beginFrame();
    expect(b.use('huge', 101)).toBeNull();
    b.use('a', 50);
    b.use('b', 50);
    b.drop('a');
    expect(b.has('a')).toBe(false);
    expect(b.stats().residentBytes).toBe(50);
    b.clear();
    expect(live.size).toBe(0);
    expect(
      () =>
        new TextureBudget(
          0,
          () => 0,
          () => undefined,
        ),
    ).toThrow(/> 0/);
  });
});
