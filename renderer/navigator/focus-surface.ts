/**
 * The autofocus focus map (AppState.automation.focusMap) as a surface for the 3D view: a
 * GRID × GRID mesh over the points' XY extent whose height is the inverse-distance-weighted
 * (power 2) mean of the points' Z, coloured by height (blue low → orange high), with each
 * measured point drawn in white on top. Same world axes as volume-renderer.ts (x = stage +X,
 * y = stage −Y, z up); the larger XY side is 1 and Z is stretched (`zScale`) so the relief
 * is RELIEF of it — focus varies by µm over mm.
 */
import {
  BufferAttribute,
  BufferGeometry,
  DoubleSide,
  Mesh,
  MeshBasicMaterial,
  Points,
  PointsMaterial,
  Scene,
  Vector3,
} from 'three';
import type { FocusPoint } from '../../electron/api/contract';

export const GRID = 24;
const RELIEF = 0.25;
const LOW = [0.1, 0.3, 0.8] as const;
const HIGH = [0.9, 0.55, 0.1] as const;

/** Inverse-distance-weighted Z at (x, y); a point closer than 1e-9 gives its own Z. */
export function idwZ(points: readonly FocusPoint[], x: number, y: number): number {
  let num = 0;
  let den = 0;
  for (const p of points) {
    const d2 = (p.xUm - x) ** 2 + (p.yUm - y) ** 2;
    if (d2 < 1e-18) return p.zUm;
    num += p.zUm / d2;
    den += 1 / d2;
  }
  return num / den;
}

/** Stage µm → world units of the surface's box. */
export interface SurfaceFrame {
  cx: number;
  cy: number;
  cz: number;
  /** World units per µm in XY, and the extra stretch of Z. */
  scale: number;
  zScale: number;
}

export function surfaceFrame(points: readonly FocusPoint[]): SurfaceFrame {
  const xs = points.map((p) => p.xUm);
  const ys = points.map((p) => p.yUm);
  const zs = points.map((p) => p.zUm);
  const span = (v: number[]) => Math.max(...v) - Math.min(...v);
  const mid = (v: number[]) => (Math.max(...v) + Math.min(...v)) / 2;
  const scale = 1 / Math.max(span(xs), span(ys), 1);
  const relief = span(zs) * scale;
  return {
    cx: mid(xs),
    cy: mid(ys),
    cz: mid(zs),
    scale,
    zScale: relief > 0 ? RELIEF / relief : 1,
  };
}

export function toWorld(f: SurfaceFrame, p: FocusPoint): Vector3 {
  return new Vector3(
    (p.xUm - f.cx) * f.scale,
    -(p.yUm - f.cy) * f.scale,
    (p.zUm - f.cz) * f.scale * f.zScale,
  );
}

export class FocusSurface {
  readonly scene = new Scene();
  private readonly mesh = new Mesh(
    new BufferGeometry(),
    new MeshBasicMaterial({ vertexColors: true, side: DoubleSide }),
  );
  private readonly points = new Points(
    new BufferGeometry(),
    new PointsMaterial({ color: 0xffffff, size: 7, sizeAttenuation: false, depthTest: false }),
  );
  private shown: readonly FocusPoint[] | null = null;
  dims = new Vector3(1, 1, 0);
  zScale = 1;

  constructor() {
    this.points.renderOrder = 1;
    this.scene.add(this.mesh, this.points);
  }

  set(points: readonly FocusPoint[]): void {
    if (points === this.shown || points.length === 0) return;
    this.shown = points;
    const f = surfaceFrame(points);
    this.zScale = f.zScale;
    const x0 = Math.min(...points.map((p) => p.xUm));
    const x1 = Math.max(...points.map((p) => p.xUm));
    const y0 = Math.min(...points.map((p) => p.yUm));
    const y1 = Math.max(...points.map((p) => p.yUm));
    const zs = points.map((p) => p.zUm);
    const zLo = Math.min(...zs);
    const zSpan = Math.max(...zs) - zLo;
    const pos = new Float32Array(GRID * GRID * 3);
    const col = new Float32Array(GRID * GRID * 3);
    for (let j = 0; j < GRID; j++) {
      for (let i = 0; i < GRID; i++) {
        const x = x0 + ((x1 - x0) * i) / (GRID - 1);
        const y = y0 + ((y1 - y0) * j) / (GRID - 1);
        const z = idwZ(points, x, y);
        const w = toWorld(f, { xUm: x, yUm: y, zUm: z });
        const k = (j * GRID + i) * 3;
        pos.set([w.x, w.y, w.z], k);
        const h = zSpan > 0 ? (z - zLo) / zSpan : 0.5;
        for (let c = 0; c < 3; c++) col[k + c] = LOW[c]! + h * (HIGH[c]! - LOW[c]!);
      }
    }
    const index: number[] = [];
    for (let j = 0; j + 1 < GRID; j++) {
      for (let i = 0; i + 1 < GRID; i++) {
        const a = j * GRID + i;
        index.push(a, a + 1, a + GRID, a + 1, a + GRID + 1, a + GRID);
      }
    }
    const g = this.mesh.geometry;
    g.setAttribute('position', new BufferAttribute(pos, 3));
    g.setAttribute('color', new BufferAttribute(col, 3));
    g.setIndex(index);
    const marks = new Float32Array(points.length * 3);
    points.forEach((p, i) => marks.set(toWorld(f, p).toArray(), i * 3));
    this.points.geometry.setAttribute('position', new BufferAttribute(marks, 3));
    this.points.geometry.computeBoundingSphere();
    g.computeBoundingSphere();
    this.dims.set((x1 - x0) * f.scale, (y1 - y0) * f.scale, zSpan * f.scale * f.zScale);
  }

  dispose(): void {
    this.mesh.geometry.dispose();
    this.mesh.material.dispose();
    this.points.geometry.dispose();
    this.points.material.dispose();
  }
}
