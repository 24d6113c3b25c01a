import { describe, expect, it } from 'vitest';
import { aquilaConfig } from '../../../electron/config/schema';
import { holderGeometry, wellAt } from '../../../renderer/navigator/sample-holder';

describe('sample holder geometry', () => {
  it('SBS 96: 8 × 12 wells on a 9 mm pitch, footprint 127.76 × 85.48 mm around A1', () => {
    const g = holderGeometry({ kind: 'plate', format: 'sbs-96', a1Um: { xUm: 0, yUm: 0 } });
    expect(g.wells).toHaveLength(96);
    expect(g.wells.at(-1)).toMatchObject({ name: 'H12', xUm: 99_000, yUm: 63_000 });
    const o = g.outlines[0]!;
    expect(o.kind === 'rect' && o.rect).toEqual({
      x0: -14_380,
      y0: -11_240,
      x1: 113_380,
      y1: 74_240,
    });
    expect(wellAt(g, 9_000 + 3_000, 9_000)?.name).toBe('B2');
    expect(wellAt(g, 4_500, 4_500)).toBeNull();
  });

  it('SBS 384: 16 × 24 square wells on a 4.5 mm pitch, P24 last', () => {
    const g = holderGeometry({ kind: 'plate', format: 'sbs-384', a1Um: { xUm: -50_000, yUm: 0 } });
    expect(g.wells).toHaveLength(384);
    expect(g.wells.at(-1)).toMatchObject({
      name: 'P24',
      xUm: -50_000 + 23 * 4_500,
      yUm: 15 * 4_500,
    });
    expect(g.outlines[0]!.kind === 'rect' && g.outlines[0]!.rect.x0).toBe(-50_000 - 12_130);
  });

  it('slide with coverslip and dish with glass window, from the config schema defaults', () => {
    const base = {
      name: 'n',
      devices: [{ id: 's', kind: 'xy-stage', driver: 'sim' }],
      limits: { xUm: { min: -1, max: 1 }, yUm: { min: -1, max: 1 }, zUm: { min: -1, max: 1 } },
    };
    const slide = aquilaConfig.parse({
      ...base,
      sampleHolder: {
        kind: 'slide',
        centerUm: { xUm: 0, yUm: 0 },
        coverslip: { widthMm: 22, heightMm: 22 },
      },
    }).sampleHolder;
    const g = holderGeometry(slide);
    expect(g.outlines.map((o) => o.kind === 'rect' && o.rect)).toEqual([
      { x0: -37_500, y0: -12_500, x1: 37_500, y1: 12_500 },
      { x0: -11_000, y0: -11_000, x1: 11_000, y1: 11_000 },
    ]);
    const dish = aquilaConfig.parse({
      ...base,
      sampleHolder: { kind: 'dish', centerUm: { xUm: 5, yUm: 6 }, glassDiameterMm: 14 },
    }).sampleHolder;
    expect(holderGeometry(dish).outlines).toEqual([
      { kind: 'circle', xUm: 5, yUm: 6, radiusUm: 17_500, label: 'dish' },
      { kind: 'circle', xUm: 5, yUm: 6, radiusUm: 7_000, label: 'glass' },
    ]);
    expect(holderGeometry(null)).toEqual({ outlines: [], wells: [] });
  });

  it('a bad holder in the config is refused with its path', () => {
    const r = aquilaConfig.safeParse({
      name: 'n',
      devices: [{ id: 's', kind: 'xy-stage', driver: 'sim' }],
      limits: { xUm: { min: -1, max: 1 }, yUm: { min: -1, max: 1 }, zUm: { min: -1, max: 1 } },
      sampleHolder: { kind: 'plate', format: 'sbs-1536', a1Um: { xUm: 0, yUm: 0 } },
      stageOrientation: { rotate90: 5 },
    });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toContain('sampleHolder.format');
    expect(paths).toContain('stageOrientation.rotate90');
  });
});
