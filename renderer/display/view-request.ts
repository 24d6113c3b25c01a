/**
 * What the live view asks the host for (issue #13 §1): with `?stream=fit` in the page URL
 * the host sends frames reduced to the canvas and the visible image region (max over 2^L
 * blocks; electron/api/frame-view.ts). `&codec=` picks the payload: `raw` (default),
 * `deflate` (lossless), `lut8` (the window applied on the host, 8-bit, as the shader's
 * 256-entry colour map shows it anyway) or `auto` (the host picks per frame from the link;
 * lut8 among them). Readout, histogram and auto-contrast stay exact: the host sends the full
 * frame's histogram and reads pixels on demand. Without `stream=fit` a browser page gets full
 * frames. The Electron window (`fitByDefault`) always gets the level that fits its canvas,
 * uncompressed and never cropped to the visible region (so the navigator's map, which takes
 * the same frames, still gets the whole field; zoomed in to 1:1 that is the full frame).
 */
import type { DisplayWindow, ViewCodec, ViewRequest } from '../../electron/api/frame-view';
import { screenToImage, type ViewTransform } from './view-transform';

/** Typed against the contract's codecs, so a codec that is not one fails the type check. */
const CODECS: readonly ViewCodec[] = ['raw', 'deflate', 'lut8', 'auto'] satisfies ViewCodec[];

export interface StreamPreference {
  fit: boolean;
  codec: ViewCodec;
  /** Ask only for the visible region (else the whole image at the fitting level). */
  crop: boolean;
}

export function streamPreference(search: string, fitByDefault = false): StreamPreference {
  if (fitByDefault) return { fit: true, codec: 'raw', crop: false };
  const q = new URLSearchParams(search);
  const codec = q.get('codec');
  return {
    fit: q.get('stream') === 'fit',
    codec: CODECS.find((c) => c === codec) ?? 'raw',
    crop: true,
  };
}

/**
 * The image region visible in a cssW × cssH canvas, and that canvas in device pixels; with
 * `crop` false the whole image and the device pixels it would cover at this zoom.
 */
export function visibleViewRequest(
  view: ViewTransform,
  cssW: number,
  cssH: number,
  dpr: number,
  imageW: number,
  imageH: number,
  crop = true,
): ViewRequest {
  if (!crop) {
    return {
      canvasWidthPx: Math.max(1, Math.round(imageW * view.scale * dpr)),
      canvasHeightPx: Math.max(1, Math.round(imageH * view.scale * dpr)),
    };
  }
  const a = screenToImage(view, 0, 0);
  const b = screenToImage(view, cssW, cssH);
  const x0 = Math.max(0, Math.floor(a.x));
  const y0 = Math.max(0, Math.floor(a.y));
  const x1 = Math.min(imageW, Math.ceil(b.x));
  const y1 = Math.min(imageH, Math.ceil(b.y));
  // The image fills only part of a fitted canvas: count the device pixels it covers.
  const region = { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
  return {
    canvasWidthPx: Math.max(1, Math.round(region.width * view.scale * dpr)),
    canvasHeightPx: Math.max(1, Math.round(region.height * view.scale * dpr)),
    region,
  };
}

export interface ViewSendOptions {
  /** Sent for codecs that may apply it on the host (lut8, auto). */
  window?: DisplayWindow;
  /** The page reassembles chunked, link-paced frames (a fitted stream does). */
  chunks: boolean;
}

/** Sends the request when it changes (the host keeps the last one per client). */
export class ViewReporter {
  private last = '';

  constructor(
    private readonly pref: StreamPreference,
    private readonly send: (
      view: ViewRequest | null,
      codec: ViewCodec,
      options: ViewSendOptions,
    ) => void,
  ) {}

  /** `request`: visibleViewRequest; `window`: what the live view shows now (user's or auto-contrast's). */
  update(request: (crop: boolean) => ViewRequest, window?: DisplayWindow): void {
    const codec = this.pref.codec;
    const win =
      window && (codec === 'lut8' || codec === 'auto')
        ? { min: window.min, max: window.max, gamma: window.gamma }
        : undefined;
    const options: ViewSendOptions = { chunks: this.pref.fit, ...(win && { window: win }) };
    if (!this.pref.fit && codec === 'raw') return;
    const r = this.pref.fit ? request(this.pref.crop) : null;
    const key = JSON.stringify([r, win]);
    if (key === this.last) return;
    this.last = key;
    this.send(r, codec, options);
  }
}
