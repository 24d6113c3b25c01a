/**
 * The live view's render loop, outside React. Frames from the host land in a latest-wins
 * slot; each animation frame takes the newest, uploads it into the reused texture, draws
 * it, updates the readouts (fps, pixel under the cursor, scale bar, histogram) by writing
 * the DOM directly, publishes `window.__aquilaDisplay` and then acks the frame so the
 * host sends the next — display rate is what this client keeps up with.
 */
import type { DecodedFrame } from '../frames/decode-frame';
import type { HostClient } from '../state/host-client';
import type { AppStore } from '../state/store';
import { canvasPoint, listenCanvas } from './canvas-pointer';
import { CanvasRenderer } from './canvas-renderer';
import { centreOnPixel } from '../input/stage-orientation';
import { frameChannel } from './frame-channel';
import {
  epochNowMs,
  LATENCY_RING_SIZE,
  LatestSlot,
  RateMeter,
  RingRecorder,
  type DisplayProbe,
} from './display-probe';
import type { FrameRenderer } from './frame-renderer';
import { computeHistogram, type Histogram } from './histogram';
import { drawHistogram } from './histogram-plot';
import { autoContrast, clampWindow, type DisplayWindow } from './lut';
import { chooseScaleBar, sampleUmPerPixel } from './scale-bar';
import {
  fitView,
  placeView,
  imageLayerTransform,
  panBy,
  pixelAt,
  screenToImage,
  wheelEventZoomFactor,
  zoomAt,
  type ViewTransform,
} from './view-transform';
import { streamPreference, ViewReporter, visibleViewRequest } from './view-request';
import { webgl2Available, WebglRenderer } from './webgl-renderer';

export interface LiveViewElements {
  canvas: HTMLCanvasElement;
  histogram: HTMLCanvasElement;
  fps: HTMLElement;
  pixel: HTMLElement;
  frameInfo: HTMLElement;
  scaleBar: HTMLElement;
  scaleLabel: HTMLElement;
  /**
   * Overlays in image pixel coordinates; its CSS transform follows the view's zoom/pan and
   * `--view-scale` holds the zoom (screen px per image px) for sizes that should not scale.
   */
  imageLayer: HTMLElement;
}

const AUTO_PUSH_INTERVAL_MS = 250;
/** lut8 frames hold display values 0..255: shown through this window they map 1:1. */
const IDENTITY_8BIT: DisplayWindow = { min: 0, max: 255, gamma: 1 };
const HISTOGRAM_INTERVAL_MS = 100;
const FPS_INTERVAL_MS = 500;

/** `?renderer=canvas2d` in the page URL forces the CPU renderer (comparisons, old GPUs). */
function createRenderer(canvas: HTMLCanvasElement): FrameRenderer {
  const forced = new URLSearchParams(window.location.search).get('renderer');
  if (forced !== 'canvas2d' && webgl2Available()) {
    try {
      return new WebglRenderer(canvas);
    } catch {
      /* fall through to the CPU renderer */
    }
  }
  return new CanvasRenderer(canvas);
}

export class LiveViewController {
  readonly renderer: FrameRenderer;
  private readonly slot = new LatestSlot<DecodedFrame>();
  private current: DecodedFrame | null = null;
  private view: ViewTransform | null = null;
  private userMoved = false;
  private lastCanvas = { w: 0, h: 0 };
  private raf = 0;
  private detachFrames: (() => void) | null = null;
  private hist: Histogram | null = null;
  private histDirty = false;
  private autoWindow: { min: number; max: number } | null = null;
  private lastAutoPush = 0;
  private lastHistDraw = 0;
  private lastFpsText = 0;
  private lastRenderKey = '';
  private mouse: { x: number; y: number } | null = null;
  private mouseMoved = false;
  /** The newest host pixel read; older answers are dropped. */
  private readoutToken = 0;
  private drag: { x: number; y: number; id: number } | null = null;
  private detachInput: (() => void) | null = null;
  private readonly latencies = new RingRecorder(LATENCY_RING_SIZE);
  private readonly exposureLatencies = new RingRecorder(LATENCY_RING_SIZE);
  private readonly meter = new RateMeter();
  readonly probe: DisplayProbe;
  private readonly viewReporter: ViewReporter;

  constructor(
    private readonly els: LiveViewElements,
    private readonly client: HostClient,
    private readonly store: AppStore,
  ) {
    this.renderer = createRenderer(els.canvas);
    this.viewReporter = new ViewReporter(
      streamPreference(window.location.search, client.transport === 'electron'),
      (v, codec, options) => client.setView(v, codec, options),
    );
    this.probe = {
      framesDrawn: 0,
      lastSeq: -1,
      lastMeta: null,
      lastView: null,
      latenciesMs: this.latencies.values,
      exposureLatenciesMs: this.exposureLatencies.values,
      renderer: this.renderer.kind,
      readPixel: (x, y) => this.readPixel(x, y),
    };
  }

  start(): void {
    window.__aquilaDisplay = this.probe;
    this.detachInput = listenCanvas(this.els.canvas, {
      wheel: this.onWheel,
      down: this.onPointerDown,
      move: this.onPointerMove,
      up: this.onPointerUp,
      leave: this.onPointerLeave,
      doubleClick: this.fit,
    });
    this.detachFrames = this.client.attachFrames((f) => this.slot.put(f));
    this.raf = requestAnimationFrame(this.tick);
  }

  stop(): void {
    cancelAnimationFrame(this.raf);
    this.detachFrames?.();
    this.detachFrames = null;
    this.detachInput?.();
    this.detachInput = null;
    this.renderer.dispose();
    if (window.__aquilaDisplay === this.probe) delete window.__aquilaDisplay;
  }

  /** Fit the whole frame into the canvas (double-click or the Fit button). */
  readonly fit = (): void => {
    this.userMoved = false;
    this.view = null;
  };

  readPixel(x: number, y: number): number | null {
    const f = this.current;
    if (!f || !Number.isInteger(x) || !Number.isInteger(y)) return null;
    if (x < 0 || y < 0 || x >= f.meta.widthPx || y >= f.meta.heightPx) return null;
    return f.pixels[y * f.meta.widthPx + x] ?? null;
  }

  private readonly tick = (): void => {
    this.raf = requestAnimationFrame(this.tick);
    const frame = this.slot.take();
    if (frame) this.accept(frame);
    // Read after accept: a frame of another channel brings that channel's LUT.
    const s = this.store.getState();
    const canvas = this.els.canvas;
    const cssW = canvas.clientWidth;
    const cssH = canvas.clientHeight;
    const cur = this.current;
    const resized = cssW !== this.lastCanvas.w || cssH !== this.lastCanvas.h;
    this.lastCanvas = { w: cssW, h: cssH };
    if (cur && (!this.view || (resized && !this.userMoved))) {
      this.view = fitView(cur.meta.widthPx, cur.meta.heightPx, cssW, cssH);
    }
    const view = this.view ?? { scale: 1, offsetX: 0, offsetY: 0 };
    const rangeMax = 2 ** Math.min(16, Math.max(1, cur?.meta.bitDepth ?? 16));
    const win: DisplayWindow = clampWindow(
      s.autoContrast && this.autoWindow
        ? { ...this.autoWindow, gamma: s.gamma }
        : { min: s.windowMin, max: s.windowMax, gamma: s.gamma },
      rangeMax,
    );
    const dpr = window.devicePixelRatio || 1;
    const key = `${view.scale}|${view.offsetX}|${view.offsetY}|${win.min}|${win.max}|${win.gamma}|${s.colormap}|${cssW}|${cssH}|${dpr}`;
    if (frame || key !== this.lastRenderKey) {
      const shown = cur?.view;
      this.renderer.render({
        // A reduced frame's texture is the view's own pixels: place it over its region.
        view: shown ? placeView(view, shown) : view,
        // lut8 pixels already went through the window on the host.
        window: shown?.codec === 'lut8' ? IDENTITY_8BIT : win,
        colormap: s.colormap,
        cssWidth: cssW,
        cssHeight: cssH,
        dpr,
      });
      this.updateScaleBar(view);
      if (cur) {
        const { widthPx: w, heightPx: h } = cur.meta;
        this.viewReporter.update(
          (crop) => visibleViewRequest(view, cssW, cssH, dpr, w, h, crop),
          win,
        );
      }
      this.els.imageLayer.style.transform = imageLayerTransform(view);
      this.els.imageLayer.style.setProperty('--view-scale', String(view.scale));
      this.histDirty = true;
    }
    this.lastRenderKey = key;
    const nowPerf = performance.now();
    if (frame) this.publish(frame, nowPerf);
    if (frame || this.mouseMoved) this.updatePixelReadout(view);
    if (this.histDirty && this.hist && nowPerf - this.lastHistDraw >= HISTOGRAM_INTERVAL_MS) {
      drawHistogram(this.els.histogram, this.hist, win.min, win.max);
      this.lastHistDraw = nowPerf;
      this.histDirty = false;
    }
    if (nowPerf - this.lastFpsText >= FPS_INTERVAL_MS) {
      const fps = this.meter.rate(nowPerf);
      this.els.fps.textContent = `${fps.toFixed(fps < 10 ? 2 : 1)} fps`;
      this.lastFpsText = nowPerf;
    }
  };

  private accept(frame: DecodedFrame): void {
    const { meta } = frame;
    // One LUT per channel: switching channel brings that channel's LUT back first.
    const channel = frameChannel(meta, this.store.getState().mirror?.state.channels ?? []);
    this.store.getState().showChannel(channel);
    const { autoContrast: auto, saturatedPct } = this.store.getState();
    const prev = this.current;
    if (prev && (prev.meta.widthPx !== meta.widthPx || prev.meta.heightPx !== meta.heightPx)) {
      this.view = null;
      this.userMoved = false;
    }
    if (frame.reduced && frame.view) {
      this.renderer.upload(frame.reduced, frame.view.widthPx, frame.view.heightPx);
    } else this.renderer.upload(frame.pixels, meta.widthPx, meta.heightPx);
    this.current = frame;
    // A reduced frame brings the host's histogram of the full frame, so auto-contrast is exact.
    this.hist =
      frame.histogram ??
      computeHistogram(frame.pixels, meta.bitDepth, undefined, this.hist?.counts);
    if (auto) {
      this.autoWindow = autoContrast(this.hist, saturatedPct);
      const now = performance.now();
      const s = this.store.getState();
      const changed = s.windowMin !== this.autoWindow.min || s.windowMax !== this.autoWindow.max;
      if (changed && now - this.lastAutoPush >= AUTO_PUSH_INTERVAL_MS) {
        s.setWindow(this.autoWindow.min, this.autoWindow.max);
        this.lastAutoPush = now;
      }
    } else {
      this.autoWindow = null;
    }
    const m = meta;
    this.els.frameInfo.textContent =
      `${channel} · #${m.seq} · ${m.widthPx}×${m.heightPx} · ${m.bitDepth}-bit · ` +
      `bin ${m.binning} · ${m.exposureMs} ms`;
  }

  private publish(frame: DecodedFrame, nowPerf: number): void {
    const drawnAtMs = epochNowMs();
    this.latencies.push(drawnAtMs - frame.meta.sentAtMs);
    this.exposureLatencies.push(drawnAtMs - frame.meta.timestampMs);
    this.probe.framesDrawn++;
    this.probe.lastSeq = frame.meta.seq;
    this.probe.lastMeta = frame.meta;
    this.probe.lastView = frame.view ?? null;
    this.meter.tick(nowPerf);
    this.client.ackFrame(frame.meta.seq);
  }

  private updatePixelReadout(view: ViewTransform): void {
    this.mouseMoved = false;
    const cur = this.current;
    const p =
      cur && this.mouse
        ? pixelAt(view, this.mouse.x, this.mouse.y, cur.meta.widthPx, cur.meta.heightPx)
        : null;
    if (!p) {
      this.els.pixel.textContent = '—';
      return;
    }
    if (!cur?.view) {
      this.els.pixel.textContent = `x ${p.x}  y ${p.y}  = ${this.readPixel(p.x, p.y)}`;
      return;
    }
    // A reduced frame has no camera values: the host reads the full frame it sent.
    const label = `x ${p.x}  y ${p.y}  =`;
    const token = ++this.readoutToken;
    if (!this.els.pixel.textContent?.startsWith(label)) this.els.pixel.textContent = `${label} …`;
    void this.client.readPixel(p.x, p.y).then(({ value }) => {
      if (token === this.readoutToken) this.els.pixel.textContent = `${label} ${value ?? '—'}`;
    });
  }

  private updateScaleBar(view: ViewTransform): void {
    const m = this.current?.meta;
    const bar = m ? chooseScaleBar(sampleUmPerPixel(m.pixelSizeUm, m.binning), view.scale) : null;
    this.els.scaleBar.style.width = bar ? `${bar.widthPx.toFixed(1)}px` : '0';
    this.els.scaleLabel.textContent = bar ? bar.label : '';
  }

  private localPoint(ev: MouseEvent): { x: number; y: number } {
    return canvasPoint(this.els.canvas, ev);
  }

  private readonly onWheel = (ev: WheelEvent): void => {
    ev.preventDefault();
    if (!this.view) return;
    const p = this.localPoint(ev);
    this.view = zoomAt(this.view, wheelEventZoomFactor(ev), p.x, p.y);
    this.userMoved = true;
    this.mouseMoved = true;
  };

  private readonly onPointerDown = (ev: PointerEvent): void => {
    if (ev.button !== 0) return;
    if (ev.altKey) return this.moveToClick(ev);
    this.els.canvas.focus();
    this.els.canvas.setPointerCapture(ev.pointerId);
    this.drag = { ...this.localPoint(ev), id: ev.pointerId };
  };

  /** Alt+click: centre the clicked point (through the stage-to-camera orientation). */
  private moveToClick(ev: PointerEvent): void {
    const frame = this.current;
    const state = this.store.getState().mirror?.state;
    if (!frame || !this.view || !state?.stage || state.safety.estopLatched) return;
    const p = this.localPoint(ev);
    const at = screenToImage(this.view, p.x, p.y);
    const d = centreOnPixel(state.stageOrientation, frame.meta, at.x - 0.5, at.y - 0.5);
    void this.client.run('stage.moveBy', d);
  }

  private readonly onPointerMove = (ev: PointerEvent): void => {
    const p = this.localPoint(ev);
    this.mouse = p;
    this.mouseMoved = true;
    if (this.drag && this.drag.id === ev.pointerId && this.view) {
      this.view = panBy(this.view, p.x - this.drag.x, p.y - this.drag.y);
      this.drag = { ...p, id: ev.pointerId };
      this.userMoved = true;
    }
  };

  private readonly onPointerUp = (ev: PointerEvent): void => {
    if (this.drag?.id === ev.pointerId) this.drag = null;
  };

  private readonly onPointerLeave = (): void => {
    this.mouse = null;
    this.mouseMoved = true;
  };
}
