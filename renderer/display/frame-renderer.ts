/**
 * What the live view needs from a renderer: keep one texture of the latest frame, draw
 * it through the display window and colour map at a zoom/pan. `webgl-renderer.ts` does
 * this on the GPU (three.js, WebGL2); `canvas-renderer.ts` is the CPU fallback for
 * machines or headless browsers without WebGL2.
 */
import type { ColormapName } from './colormaps';
import type { DisplayWindow } from './lut';
import type { ViewTransform } from './view-transform';

export interface RenderParams {
  view: ViewTransform;
  window: DisplayWindow;
  colormap: ColormapName;
  /** Canvas size in CSS pixels and the device pixel ratio. */
  cssWidth: number;
  cssHeight: number;
  dpr: number;
}

export interface FrameRenderer {
  readonly kind: 'webgl2' | 'canvas2d';
  /**
   * Copies (or references until the next upload) the pixels into the reused texture: uint16
   * camera values, or one byte per pixel (lut8 display values, drawn through a 0..255 window).
   */
  upload(pixels: Uint16Array | Uint8Array, widthPx: number, heightPx: number): void;
  render(params: RenderParams): void;
  dispose(): void;
}

export const BACKGROUND_RGB: readonly [number, number, number] = [0.06, 0.07, 0.08];
export const HILO_LOW_RGB: readonly [number, number, number] = [0, 0.35, 1];
export const HILO_HIGH_RGB: readonly [number, number, number] = [1, 0, 0];
