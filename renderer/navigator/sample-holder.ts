/**
 * Sample-holder geometry in stage µm from the config's `sampleHolder`. Plates: footprint
 * 127.76 × 85.48 mm (ANSI/SLAS 1-2004); well A1's centre 14.38 mm (96) / 12.13 mm (384) from
 * the left edge and 11.24 mm / 8.99 mm from the top edge, pitch 9 mm / 4.5 mm (ANSI/SLAS
 * 4-2004). Well size is not standardised: typical values (6.4 mm round, 3.6 mm square) are
 * drawn. Columns run along +X, rows along +Y (row A on top of a +Y-down map).
 *
 * The geometry is in the holder's own frame: stage µm as if `rotationDeg` were 0. A turned
 * holder (`rotation`) is that frame turned clockwise on the map about its reference point;
 * holderToStage / stageToHolder convert, and the overlay draws the frame in a rotated group.
 */
import type { SampleHolder } from '../../electron/api/contract';
import type { Rect } from './frame-placement';

export type Outline =
  | { kind: 'rect'; rect: Rect; label: string }
  | { kind: 'circle'; xUm: number; yUm: number; radiusUm: number; label: string };

export interface Well {
  /** Row letter(s) + column number: A1, H12, P24. */
  name: string;
  xUm: number;
  yUm: number;
  shape: 'circle' | 'square';
  /** Diameter or side, µm. */
  sizeUm: number;
}

export interface HolderGeometry {
  outlines: Outline[];
  /** Well centres in the holder's frame (holderToStage gives their stage position). */
  wells: Well[];
  /** Clockwise on the map, about (cx, cy) stage µm. */
  rotation: { deg: number; cx: number; cy: number };
}

/** A point of the holder's frame → stage µm. */
export function holderToStage(g: HolderGeometry, p: { xUm: number; yUm: number }) {
  return turn(g.rotation, p, 1);
}

/** Stage µm → the holder's frame. */
export function stageToHolder(g: HolderGeometry, p: { xUm: number; yUm: number }) {
  return turn(g.rotation, p, -1);
}

function turn(
  r: HolderGeometry['rotation'],
  p: { xUm: number; yUm: number },
  sign: 1 | -1,
): { xUm: number; yUm: number } {
  if (r.deg === 0) return { xUm: p.xUm, yUm: p.yUm };
  const a = (sign * r.deg * Math.PI) / 180;
  const dx = p.xUm - r.cx;
  const dy = p.yUm - r.cy;
  // With +Y down, this matrix turns clockwise on screen (as SVG's rotate()).
  return {
    xUm: r.cx + dx * Math.cos(a) - dy * Math.sin(a),
    yUm: r.cy + dx * Math.sin(a) + dy * Math.cos(a),
  };
}

export const SBS_FOOTPRINT_UM = { width: 127_760, height: 85_480 } as const;

export const SBS_FORMATS = {
  'sbs-96': {
    rows: 8,
    columns: 12,
    pitchUm: 9_000,
    a1FromLeftUm: 14_380,
    a1FromTopUm: 11_240,
    wellUm: 6_400,
    shape: 'circle',
  },
  'sbs-384': {
    rows: 16,
    columns: 24,
    pitchUm: 4_500,
    a1FromLeftUm: 12_130,
    a1FromTopUm: 8_990,
    wellUm: 3_600,
    shape: 'square',
  },
} as const;

export function rowName(row: number): string {
  return row < 26 ? String.fromCharCode(65 + row) : `A${String.fromCharCode(65 + row - 26)}`;
}

const centred = (xUm: number, yUm: number, wUm: number, hUm: number): Rect => ({
  x0: xUm - wUm / 2,
  y0: yUm - hUm / 2,
  x1: xUm + wUm / 2,
  y1: yUm + hUm / 2,
});

export function holderGeometry(h: SampleHolder | null | undefined): HolderGeometry {
  if (!h) return { outlines: [], wells: [], rotation: { deg: 0, cx: 0, cy: 0 } };
  const pivot = h.kind === 'plate' ? h.a1Um : h.centerUm;
  return {
    ...unturned(h),
    rotation: { deg: h.rotationDeg ?? 0, cx: pivot.xUm, cy: pivot.yUm },
  };
}

function unturned(h: SampleHolder): Omit<HolderGeometry, 'rotation'> {
  switch (h.kind) {
    case 'plate': {
      const f = SBS_FORMATS[h.format];
      const x0 = h.a1Um.xUm - f.a1FromLeftUm;
      const y0 = h.a1Um.yUm - f.a1FromTopUm;
      const wells: Well[] = [];
      for (let r = 0; r < f.rows; r++) {
        for (let c = 0; c < f.columns; c++) {
          wells.push({
            name: `${rowName(r)}${c + 1}`,
            xUm: h.a1Um.xUm + c * f.pitchUm,
            yUm: h.a1Um.yUm + r * f.pitchUm,
            shape: f.shape,
            sizeUm: f.wellUm,
          });
        }
      }
      const rect = { x0, y0, x1: x0 + SBS_FOOTPRINT_UM.width, y1: y0 + SBS_FOOTPRINT_UM.height };
      return { outlines: [{ kind: 'rect', rect, label: `${h.format} plate` }], wells };
    }
    case 'slide': {
      const { xUm, yUm } = h.centerUm;
      const outlines: Outline[] = [
        {
          kind: 'rect',
          rect: centred(xUm, yUm, h.widthMm * 1000, h.heightMm * 1000),
          label: 'slide',
        },
      ];
      if (h.coverslip) {
        const c = h.coverslip;
        outlines.push({
          kind: 'rect',
          rect: centred(xUm, yUm, c.widthMm * 1000, c.heightMm * 1000),
          label: 'coverslip',
        });
      }
      return { outlines, wells: [] };
    }
    case 'dish': {
      const { xUm, yUm } = h.centerUm;
      const outlines: Outline[] = [
        { kind: 'circle', xUm, yUm, radiusUm: (h.diameterMm * 1000) / 2, label: 'dish' },
      ];
      if (h.glassDiameterMm !== undefined) {
        outlines.push({
          kind: 'circle',
          xUm,
          yUm,
          radiusUm: (h.glassDiameterMm * 1000) / 2,
          label: 'glass',
        });
      }
      return { outlines, wells: [] };
    }
  }
}

/** The well whose area contains a stage point, or null. */
export function wellAt(g: HolderGeometry, xUm: number, yUm: number): Well | null {
  const p = stageToHolder(g, { xUm, yUm });
  for (const w of g.wells) {
    const dx = Math.abs(p.xUm - w.xUm);
    const dy = Math.abs(p.yUm - w.yUm);
    const inside =
      w.shape === 'circle' ? Math.hypot(dx, dy) <= w.sizeUm / 2 : Math.max(dx, dy) <= w.sizeUm / 2;
    if (inside) return w;
  }
  return null;
}
