/**
 * What the live view asks the host for (issue #13 §1): with `?stream=fit` in the page URL
 * the host sends frames reduced to the canvas and the visible image region (max over 2^L
 * blocks; electron/api/frame-view.ts), with `&codec=deflate` also losslessly compressed.
 * Without it the page gets full frames, so readout, histogram and auto-contrast stay exact —
 * the default for the instrument's own screen; the fitted stream is for remote links.
 */
import type { FrameCodec, ViewRequest } from '../../electron/api/frame-view';
import { screenToImage, type ViewTransform } from './view-transform';

export interface StreamPreference {
  fit: boolean;
  codec: FrameCodec;
}

export function streamPreference(search: string): StreamPreference {
  const q = new URLSearchParams(search);
  return {
    fit: q.get('stream') === 'fit',
    codec: q.get('codec') === 'deflate' ? 'deflate' : 'raw',
  };
}

/** The image region visible in a cssW × cssH canvas, and that canvas in device pixels. */
export function visibleViewRequest(
  view: ViewTransform,
  cssW: number,
  cssH: number,
  dpr: number,
  imageW: number,
  imageH: number,
): ViewRequest {
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

/** Sends the request when it changes (the host keeps the last one per client). */
export class ViewReporter {
  private last = '';

  constructor(
    private readonly pref: StreamPreference,
    private readonly send: (view: ViewRequest | null, codec: FrameCodec) => void,
  ) {}

  update(request: () => ViewRequest): void {
    if (!this.pref.fit) {
      if (this.pref.codec === 'raw' || this.last) return;
      this.last = 'full';
      return this.send(null, this.pref.codec);
    }
    const r = request();
    const key = JSON.stringify(r);
    if (key === this.last) return;
    this.last = key;
    this.send(r, this.pref.codec);
  }
}
