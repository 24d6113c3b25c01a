/** Properties of expansion for random flat plans, checked against an independent count and order. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { events } from './helpers';

const AXES = ['t', 'p', 'g', 'c', 'z'] as const;

const plan = fc.record({
  order: fc.shuffledSubarray([...AXES], { minLength: 1, maxLength: 5 }),
  loops: fc.integer({ min: 0, max: 4 }),
  positions: fc.integer({ min: 0, max: 3 }),
  rows: fc.integer({ min: 0, max: 2 }),
  zPlanes: fc.integer({ min: 0, max: 4 }),
  channels: fc.array(fc.record({ every: fc.integer({ min: 1, max: 3 }), stack: fc.boolean() }), {
    maxLength: 3,
  }),
});

describe('expandSequence properties', () => {
  it('yields exactly the non-skipped combinations, in axis_order with the last axis fastest', () => {
    fc.assert(
      fc.property(plan, (p) => {
        const relative = Array.from({ length: p.zPlanes }, (_, i) => i);
        const size = { t: p.loops, p: p.positions, g: p.rows, c: p.channels.length, z: p.zPlanes };
        const used = p.order.filter((a) => size[a] > 0);
        const expand = () =>
          events({
            axis_order: p.order.join(''),
            time_plan: p.loops ? { interval: 1, loops: p.loops } : null,
            stage_positions: Array.from({ length: p.positions }, (_, i) => [i, 0]),
            grid_plan: p.rows ? { rows: p.rows, columns: 1 } : null,
            z_plan: p.zPlanes ? { relative } : null,
            channels: p.channels.map((c, i) => ({
              config: `C${i}`,
              acquire_every: c.every,
              do_stack: c.stack,
            })),
          });
        // useq fails (KeyError) for do_stack=false with a z plan but no z axis; so do we, clearly.
        if (
          used.includes('c') &&
          p.zPlanes > 0 &&
          !used.includes('z') &&
          p.channels.some((c) => !c.stack)
        ) {
          expect(expand).toThrow(/do_stack=false needs a z axis/);
          return;
        }
        const ev = expand();
        const n = (a: (typeof AXES)[number]) => (used.includes(a) ? size[a] : 1);
        // Independent count: channels filtered per timepoint and per plane.
        let expected = 0;
        if (used.length > 0) {
          for (let t = 0; t < n('t'); t++)
            for (let c = 0; c < n('c'); c++) {
              const ch = used.includes('c') ? p.channels[c]! : null;
              if (ch && used.includes('t') && t % ch.every !== 0) continue;
              const planes = ch && !ch.stack && p.zPlanes > 0 && used.includes('z') ? 1 : n('z');
              expected += planes * n('p') * n('g');
            }
        }
        expect(ev).toHaveLength(expected);
        const key = (e: (typeof ev)[number]) => used.map((a) => e.index[a] ?? -1);
        for (let i = 1; i < ev.length; i++) {
          const [a, b] = [key(ev[i - 1]!), key(ev[i]!)];
          const k = a.findIndex((v, j) => v !== b[j]);
          expect(k >= 0 && a[k]! < b[k]!).toBe(true);
        }
        for (const e of ev)
          expect(Object.keys(e.index)).toEqual(AXES.filter((a) => used.includes(a)));
      }),
      { numRuns: 200 },
    );
  });
});
