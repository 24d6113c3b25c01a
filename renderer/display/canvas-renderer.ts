/**
 * CPU fallback renderer (Canvas 2D) for when WebGL2 is unavailable. A 65536-entry RGBA
 * table is rebuilt when the window or colour map changes; each frame is mapped through
 * it into an ImageData of the frame's size and drawn scaled without smoothing.
 */
import { colormapIndex, colormapTable, type ColormapName } from './colormaps';
import {
  BACKGROUND_RGB,
  HILO_HIGH_RGB,
  HILO_LOW_RGB,
  type FrameRenderer,
  type RenderParams,
} from './frame-renderer';
import { windowValue, type DisplayWindow } from './lut';

const rgba = (c: readonly [number, number, number]) =>
  (255 << 24) |
  (Math.round(c[2] * 255) << 16) |
  (Math.round(c[1] * 255) << 8) |
  Math.round(c[0] * 255);

/** value → packed little-endian RGBA for every uint16 value (as the shader computes). */
export function buildValueTable(w: DisplayWindow, colormap: ColormapName): Uint32Array {
  const table = new Uint32Array(65536);
  const lut = colormapTable(colormap);
  const hilo = colormap === 'hilo';
  for (let v = 0; v < 65536; v++) {
    if (hilo && v <= w.min) table[v] = rgba(HILO_LOW_RGB);
    else if (hilo && v >= w.max) table[v] = rgba(HILO_HIGH_RGB);
    else {
      const i = colormapIndex(windowValue(v, w)) * 4;
      table[v] = (255 << 24) | (lut[i + 2]! << 16) | (lut[i + 1]! << 8) | lut[i]!;
    }
  }
  return table;
}

export class CanvasRenderer implements FrameRenderer {
  readonly kind = 'canvas2d' as const;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly offscreen = document.createElement('canvas');
  private readonly offCtx: CanvasRenderingContext2D;
  private pixels: Uint16Array | Uint8Array | null = null;
  private image: ImageData | null = null;
  private table: Uint32Array | null = null;
  private tableKey = '';
  private dirty = false;

  constructor(private readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d');
    const offCtx = this.offscreen.getContext('2d');
    if (!ctx || !offCtx) throw new Error('live view: neither WebGL2 nor Canvas 2D is available');
    this.ctx = ctx;
    this.offCtx = offCtx;
  }

  upload(pixels: Uint16Array | Uint8Array, widthPx: number, heightPx: number): void {
    if (!this.image || this.image.width !== widthPx || this.image.height !== heightPx) {
      this.image = new ImageData(widthPx, heightPx);
      this.offscreen.width = widthPx;
      this.offscreen.height = heightPx;
    }
    this.pixels = pixels;
    this.dirty = true;
  }

  render(p: RenderParams): void {
    const w = Math.max(1, Math.round(p.cssWidth * p.dpr));
    const h = Math.max(1, Math.round(p.cssHeight * p.dpr));
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    const key = `${p.window.min}|${p.window.max}|${p.window.gamma}|${p.colormap}`;
    if (key !== this.tableKey) {
      this.table = buildValueTable(p.window, p.colormap);
      this.tableKey = key;
      this.dirty = true;
    }
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = `rgb(${BACKGROUND_RGB.map((c) => Math.round(c * 255)).join(',')})`;
    ctx.fillRect(0, 0, w, h);
    const { pixels, image, table } = this;
    if (!pixels || !image || !table) return;
    if (this.dirty) {
      const out = new Uint32Array(image.data.buffer);
      for (let i = 0; i < pixels.length; i++) out[i] = table[pixels[i]!]!;
      this.offCtx.putImageData(image, 0, 0);
      this.dirty = false;
    }
    ctx.imageSmoothingEnabled = false;
    const s = p.view.scale * p.dpr;
    ctx.setTransform(s, 0, 0, s, p.view.offsetX * p.dpr, p.view.offsetY * p.dpr);
    ctx.drawImage(this.offscreen, 0, 0);
  }

  dispose(): void {
    this.pixels = null;
    this.image = null;
  }
}
