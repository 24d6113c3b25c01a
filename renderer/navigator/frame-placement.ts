/**
 * Where a camera frame lies on the stage: image pixels ↔ stage µm through the configured
 * camera orientation (electron/api/navigator-schema.ts: flips first, then quarter turns
 * clockwise on a map drawn with +X right and +Y down). A frame is centred on the stage
 * position it was taken at; pixel (col, row) covers [col, col+1) × [row, row+1) and a frame
 * pixel spans pixelSizeUm × binning µm.
 */
import type { CameraOrientation, StageOrientation } from '../../electron/api/contract';

/**
 * The config's stage-to-camera orientation (electron/config/stage-orientation.ts: a stage
 * offset appears in the image turned (dx, dy) → (−dy, dx), then flipped) as the navigator's
 * image → stage form (flipped, then turned clockwise `rotate90` times): undoing that one
 * turn is three clockwise turns. Identity when the host sends none.
 */
export function cameraOrientationOf(o: StageOrientation | undefined): CameraOrientation {
  return { flipX: o?.flipX ?? false, flipY: o?.flipY ?? false, rotate90: o?.rotate90 ? 3 : 0 };
}

export interface Vec {
  x: number;
  y: number;
}

/** An axis-aligned rectangle in stage µm. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** What placing a frame needs from its metadata. */
export interface FrameGeometry {
  widthPx: number;
  heightPx: number;
  /** µm per frame pixel at the sample (pixelSizeUm × binning). */
  umPerPx: number;
  /** Stage position of the frame's centre, µm. */
  centerXUm: number;
  centerYUm: number;
}

/** One quarter turn clockwise on a +Y-down map: right → down → left → up. */
const turn = (v: Vec): Vec => ({ x: -v.y, y: v.x });
const unturn = (v: Vec): Vec => ({ x: v.y, y: -v.x });

/** An offset along the image's axes (µm, +x right, +y down) → the stage offset it shows. */
export function imageToStageOffset(o: CameraOrientation, d: Vec): Vec {
  let v = { x: o.flipX ? -d.x : d.x, y: o.flipY ? -d.y : d.y };
  for (let i = 0; i < o.rotate90; i++) v = turn(v);
  return v;
}

/** Inverse of imageToStageOffset. */
export function stageToImageOffset(o: CameraOrientation, d: Vec): Vec {
  let v = d;
  for (let i = 0; i < o.rotate90; i++) v = unturn(v);
  return { x: o.flipX ? -v.x : v.x, y: o.flipY ? -v.y : v.y };
}

/** Stage position of a point given in frame pixels (fractional; pixel centres at +0.5). */
export function pixelToStage(g: FrameGeometry, o: CameraOrientation, px: Vec): Vec {
  const d = imageToStageOffset(o, {
    x: (px.x - g.widthPx / 2) * g.umPerPx,
    y: (px.y - g.heightPx / 2) * g.umPerPx,
  });
  return { x: g.centerXUm + d.x, y: g.centerYUm + d.y };
}

/**
 * Pixels reduced from a frame `g`: each covers factor × factor frame pixels, the first at frame
 * pixel (x, y) (a feed frame's block means, a view's 2^level block maxima of its region).
 */
export interface Reduction {
  x: number;
  y: number;
  factor: number;
  widthPx: number;
  heightPx: number;
}

/**
 * Where reduced pixels lie on the stage: their own geometry, centred where their blocks'
 * centre lies in the frame (trailing partial blocks count as whole ones).
 */
export function reducedGeometry(
  g: FrameGeometry,
  o: CameraOrientation,
  r: Reduction,
): FrameGeometry {
  const c = pixelToStage(g, o, {
    x: r.x + (r.widthPx * r.factor) / 2,
    y: r.y + (r.heightPx * r.factor) / 2,
  });
  return {
    widthPx: r.widthPx,
    heightPx: r.heightPx,
    umPerPx: g.umPerPx * r.factor,
    centerXUm: c.x,
    centerYUm: c.y,
  };
}

/** Frame pixel (fractional) showing a stage position; may lie outside the frame. */
export function stageToPixel(g: FrameGeometry, o: CameraOrientation, p: Vec): Vec {
  const d = stageToImageOffset(o, { x: p.x - g.centerXUm, y: p.y - g.centerYUm });
  return { x: d.x / g.umPerPx + g.widthPx / 2, y: d.y / g.umPerPx + g.heightPx / 2 };
}

/** The stage rectangle the frame covers (width and height swap for odd quarter turns). */
export function frameFootprint(g: FrameGeometry, o: CameraOrientation): Rect {
  const odd = o.rotate90 % 2 === 1;
  const halfW = ((odd ? g.heightPx : g.widthPx) * g.umPerPx) / 2;
  const halfH = ((odd ? g.widthPx : g.heightPx) * g.umPerPx) / 2;
  return {
    x0: g.centerXUm - halfW,
    y0: g.centerYUm - halfH,
    x1: g.centerXUm + halfW,
    y1: g.centerYUm + halfH,
  };
}

export function rectsOverlap(a: Rect, b: Rect): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}
