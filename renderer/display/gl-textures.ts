/**
 * three.js (WebGL2) pieces the live view (webgl-renderer.ts) and the navigator's mosaic
 * (navigator/mosaic-renderer.ts) share: the renderer on a canvas, the drawing buffer sized
 * in device pixels, the R16UI image texture fetched exactly (`texelFetch`, no filtering) and
 * the colour-map lookup texture (colormaps.ts).
 */
import {
  DataTexture,
  NearestFilter,
  RedIntegerFormat,
  RGBAFormat,
  UnsignedByteType,
  UnsignedShortType,
  Vector2,
  WebGLRenderer,
} from 'three';
import { colormapTable, LUT_SIZE, type ColormapName } from './colormaps';

/** The canvas must not already have a context (check with a separate probe canvas). */
export function createGlRenderer(canvas: HTMLCanvasElement): WebGLRenderer {
  return new WebGLRenderer({ canvas, antialias: false, powerPreference: 'low-power' });
}

/** Sizes the drawing buffer to `widthPx`×`heightPx` device pixels (no-op if it already is). */
export function fitDrawingBuffer(renderer: WebGLRenderer, widthPx: number, heightPx: number) {
  const size = renderer.getDrawingBufferSize(new Vector2());
  if (size.x !== widthPx || size.y !== heightPx) {
    renderer.setPixelRatio(1);
    renderer.setSize(widthPx, heightPx, false);
  }
}

/** A `widthPx`×`heightPx` R16UI texture over `pixels` (row 0 first, no mipmaps). */
export function r16uiTexture(pixels: Uint16Array, widthPx: number, heightPx: number): DataTexture {
  return uintTexture(pixels, widthPx, heightPx);
}

/**
 * A `widthPx`×`heightPx` unsigned-integer texture over `pixels` (row 0 first, no mipmaps):
 * R16UI for uint16, R8UI for bytes (half the upload); a `usampler2D` reads either.
 */
export function uintTexture(
  pixels: Uint16Array | Uint8Array,
  widthPx: number,
  heightPx: number,
): DataTexture {
  const bytes = pixels instanceof Uint8Array;
  const type = bytes ? UnsignedByteType : UnsignedShortType;
  const tex = new DataTexture(pixels, widthPx, heightPx, RedIntegerFormat, type);
  tex.internalFormat = bytes ? 'R8UI' : 'R16UI';
  tex.minFilter = NearestFilter;
  tex.magFilter = NearestFilter;
  tex.generateMipmaps = false;
  tex.flipY = false;
  tex.unpackAlignment = bytes ? 1 : 2;
  return tex;
}

/** The colour map as a LUT_SIZE×1 RGBA texture, refilled only when the map changes. */
export class LutTexture {
  readonly texture = new DataTexture(
    new Uint8Array(LUT_SIZE * 4),
    LUT_SIZE,
    1,
    RGBAFormat,
    UnsignedByteType,
  );
  private colormap: ColormapName | null = null;

  constructor() {
    this.texture.minFilter = NearestFilter;
    this.texture.magFilter = NearestFilter;
  }

  use(colormap: ColormapName): void {
    if (this.colormap === colormap) return;
    (this.texture.image.data as Uint8Array).set(colormapTable(colormap));
    this.texture.needsUpdate = true;
    this.colormap = colormap;
  }

  dispose(): void {
    this.texture.dispose();
  }
}
