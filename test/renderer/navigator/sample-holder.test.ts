import { describe, expect, it } from 'vitest';
import { aquilaConfig } from '../../../electron/config/schema';
import {
  holderGeometry,
  holderToStage,
  stageToHolder,
  wellAt,
} from '../../../renderer/navigator/sample-holder';

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
    expect(holderGeometry(null)).toMatchObject({ outlines: [], wells: [] });
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

  it('a turned holder: rotationDeg clockwise on the map about A1 / the centre, both ways', () => {
    const a1 = { xUm: 1_000, yUm: 2_000 };
    const g = holderGeometry({ kind: 'plate', format: 'sbs-96', a1Um: a1, rotationDeg: 90 });
    const stageOf = (name: string) => {
      const w = g.wells.find((x) => x.name === name)!;
      return holderToStage(g, { xUm: w.xUm, yUm: w.yUm });
    };
    // A1 stays; turned a quarter clockwise, columns (+X) run down (+Y) and rows (+Y) left (−X).
    expect(stageOf('A1').xUm).toBeCloseTo(1_000, 6);
    expect(stageOf('A1').yUm).toBeCloseTo(2_000, 6);
    expect(stageOf('A2').xUm).toBeCloseTo(1_000, 6);
    expect(stageOf('A2').yUm).toBeCloseTo(11_000, 6);
    expect(stageOf('B1').xUm).toBeCloseTo(-8_000, 6);
    expect(stageOf('B1').yUm).toBeCloseTo(2_000, 6);
    // The well under a stage point is found in the turned plate, not the unturned one.
    expect(wellAt(g, -8_000, 2_000)?.name).toBe('B1');
    expect(wellAt(g, 1_000, 11_000)?.name).toBe('A2');
    expect(wellAt(g, 10_000, 2_000)).toBeNull(); // where A2 would be unturned
    const p = { xUm: 123, yUm: -456 };
    const back = stageToHolder(g, holderToStage(g, p));
    expect(back.xUm).toBeCloseTo(p.xUm, 6);
    expect(back.yUm).toBeCloseTo(p.yUm, 6);
    // A slide turns about its centre; without rotationDeg nothing turns.
    const slide = holderGeometry({
      kind: 'slide',
      centerUm: { xUm: 5, yUm: 6 },
      widthMm: 75,
      heightMm: 25,
      rotationDeg: -30,
    });
    expect(slide.rotation).toEqual({ deg: -30, cx: 5, cy: 6 });
    const flat = holderGeometry({ kind: 'dish', centerUm: { xUm: 0, yUm: 0 }, diameterMm: 35 });
    expect(flat.rotation.deg).toBe(0);
  });

  it('rotationDeg is checked by the config schema', () => {
    const base = {
      name: 'n',
      devices: [{ id: 's', kind: 'xy-stage', driver: 'sim' }],
      limits: { xUm: { min: -1, max: 1 }, yUm: { min: -1, max: 1 }, zUm: { min: -1, max: 1 } },
    };
    const parsed = aquilaConfig.safeParse({
      ...base,
      sampleHolder: { kind: 'dish', centerUm: { xUm: 0, yUm: 0 }, rotationDeg: 270 },
    });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(/rotationDeg/);
  });
});
