/**
 * The navigator's render loop, outside React (like the live view's): frames from the host
 * are placed into the mosaic as they arrive; each animation frame redraws the mosaic when
 * the view, the display window or the mosaic changed, and keeps the stage-µm overlay layer
 * (envelope, holder, field of view, plan, ROIs — drawn by React) aligned with the view.
 * Input (zoom, pan, double-click to move) is map-input.ts.
 */
import type { DecodedFrame } from '../frames/decode-frame';
import type { HostClient } from '../state/host-client';
import type { AppStore } from '../state/store';
import { clampWindow, type DisplayWindow } from '../display/lut';
import { webgl2Available } from '../display/webgl-renderer';
import type { FrameMeta, PlanPosition } from '../../electron/api/contract';
import { FeedPoller, type FeedFrame } from './feed-poller';
import { channelTints, frameChannel, frameGeometry } from './frame-ingest';
import { cameraOrientationOf, reducedGeometry, type Reduction, type Vec } from './frame-placement';
import { isLiveFrame, LiveCoalescer, mapPixels } from './live-frames';
import { MapInput } from './map-input';
import { fitMap, screenToStage, stageLayerTransform, visibleRect, type MapView } from './map-view';
import { outerFrame } from './stage-frames';
import { MosaicPersistence } from './mosaic-persistence';
import { MosaicPyramid } from './mosaic-pyramid';
import { MosaicRenderer } from './mosaic-renderer';
import { ZSliceStack } from './z-slices';
import { createNavigatorProbe, type NavigatorProbe, type PlacedFrame } from './navigator-probe';

/** GPU textures; mosaic cells in page memory (beyond it saved cells leave, reload on view). */
export const DEFAULT_BUDGET_BYTES = 64 * 1024 * 1024;
export const DEFAULT_CPU_BUDGET_BYTES = 512 * 1024 * 1024;
const PLACED_RING = 64;
const SHOWN_KEPT = 1024;

export interface NavigatorElements {
  canvas: HTMLCanvasElement;
  /** Children laid out in stage µm; its transform follows the view, `--map-scale` = px/µm. */
  layer: HTMLElement;
  cursor: HTMLElement;
}

export interface NavigatorOptions {
  budgetBytes?: number;
  cpuBudgetBytes?: number;
  /** The stored mosaic's bound (IndexedDB); default DEFAULT_STORAGE_BUDGET_BYTES. */
  storageBudgetBytes?: number;
  onGoto(p: Vec): void;
  /** A click on the map itself (not on a mark): the page unselects. */
  onClick?(): void;
  onError(message: string): void;
}

export class NavigatorController {
  readonly mosaic: MosaicPyramid;
  readonly zStack = new ZSliceStack();
  private readonly loading = new Set<string>();
  /** Bumped by clearMap: loads started before it are dropped. */
  private generation = 0;
  readonly renderer: MosaicRenderer | null;
  private persistence: MosaicPersistence | null = null;
  private view: MapView | null = null;
  private dirty = true;
  private lastKey = '';
  private raf = 0;
  private detach: (() => void) | null = null;
  private readonly feed: FeedPoller;
  private readonly input: MapInput;
  private readonly placed: PlacedFrame[] = [];
  private readonly placedWaiters = new Set<(seq: number) => void>();
  /**
   * Display-bus seqs of frames this page was shown with camera values (the feed's copies of
   * them are skipped; live frames coalesced away count too: the newest stands for them).
   */
  private readonly shownSeqs = new Set<number>();
  private readonly live = new LiveCoalescer((f) => this.timed(() => this.placeShown(f)));
  private timing = false;
  feedPlaced = 0;
  readonly probe: NavigatorProbe;
  planPositions: PlanPosition[] = [];

  constructor(
    private readonly els: NavigatorElements,
    private readonly client: HostClient,
    private readonly store: AppStore,
    private readonly opts: NavigatorOptions,
  ) {
    this.mosaic = new MosaicPyramid(opts.cpuBudgetBytes ?? DEFAULT_CPU_BUDGET_BYTES);
    this.mosaic.canEvict = (key) => this.persistence?.isClean(key) ?? false;
    let renderer: MosaicRenderer | null = null;
    if (webgl2Available()) {
      try {
        renderer = new MosaicRenderer(els.canvas, opts.budgetBytes ?? DEFAULT_BUDGET_BYTES);
      } catch (err) {
        opts.onError(`mosaic unavailable: ${(err as Error).message}`);
      }
    } else opts.onError('mosaic unavailable: this browser has no WebGL2');
    this.renderer = renderer;
    this.feed = new FeedPoller(client, (f) => this.timed(() => this.placeFeedFrame(f)));
    this.input = new MapInput(els.canvas, els.cursor, {
      view: () => this.currentView(),
      setView: (v) => (this.view = v),
      goto: (p) => opts.onGoto(p),
      click: () => opts.onClick?.(),
    });
    this.probe = createNavigatorProbe({
      placed: this.placed,
      mosaic: this.mosaic,
      canvas: els.canvas,
      renderer: this.renderer,
      view: () => this.currentView(),
      setView: (v) => (this.view = v),
      redraw: () => {
        this.dirty = true;
        this.draw();
      },
      clientToStage: (x, y) => this.clientToStage(x, y),
      planPositions: () => this.planPositions,
      persistence: () => this.persistence,
      feedPlaced: () => this.feedPlaced,
    });
  }

  start(): void {
    window.__aquilaNavigator = this.probe;
    this.input.attach();
    this.detach = this.client.attachFrames(this.onFrame);
    this.raf = requestAnimationFrame(this.tick);
    this.feed.start();
  }

  /** A frame from the host's feed (feed-poller.ts), unless this page was shown it. */
  private placeFeedFrame(f: FeedFrame): void {
    if (f.busSeq !== null && this.shownSeqs.has(f.busSeq)) return;
    // Feed frames have no display seq of their own: a run frame never shown is placed as −1.
    const meta = { ...f.meta, seq: f.busSeq ?? -1 };
    const { factor, widthPx, heightPx } = f;
    this.place(f.pixels, meta, { x: 0, y: 0, factor, widthPx, heightPx });
    this.feedPlaced++;
  }

  stop(): void {
    cancelAnimationFrame(this.raf);
    this.live.stop();
    this.feed.stop();
    this.detach?.();
    this.detach = null;
    this.input.detach();
    void this.persistence?.flush().catch(() => undefined);
    this.persistence?.close();
    this.renderer?.dispose();
    if (window.__aquilaNavigator === this.probe) delete window.__aquilaNavigator;
  }

  /** Opens this session's stored mosaic: its cells load when the view reaches them. */
  async restore(session: string): Promise<void> {
    const p = await MosaicPersistence.open(
      session,
      this.mosaic,
      (e) => this.opts.onError(`saving the map: ${e.message}`),
      this.opts.storageBudgetBytes,
    );
    if (!p) return;
    this.persistence = p;
    const keys = await p.loadKeys();
    this.mosaic.markOffloaded(keys);
    // Frames placed before storage opened are saved now (merged with what was stored).
    p.markDirty([...this.mosaic.cells.values()]);
    this.probe.restoredCells = keys.length;
    this.dirty = true;
  }

  /** Loads the stored cells the current view needs and redraws when they arrive. */
  private loadVisible(level: number, v: MapView): void {
    const p = this.persistence;
    if (!p) return;
    const keys = this.mosaic.offloadedIn(level, visibleRect(v)).filter((k) => !this.loading.has(k));
    if (keys.length === 0) return;
    for (const k of keys) this.loading.add(k);
    const generation = this.generation;
    p.loadCells(keys)
      .then((cells) => {
        if (generation !== this.generation) return;
        for (const c of cells) this.mosaic.restore(c);
        this.mosaic.evictOverBudget();
        this.dirty = true;
      })
      .catch((e: Error) => this.opts.onError(`loading the map: ${e.message}`))
      .finally(() => {
        for (const k of keys) this.loading.delete(k);
      });
  }

  async clearMap(): Promise<void> {
    this.generation++;
    this.mosaic.clear();
    this.renderer?.clear();
    this.placed.length = 0;
    this.dirty = true;
    await this.persistence?.clear();
  }

  /** Fit the stage's travel (the safety envelope when the config gives no travel) into the canvas. */
  fit(): void {
    const state = this.store.getState().mirror?.state;
    const r = outerFrame(state?.safety.limits ?? null, state?.navigator?.travelUm ?? null);
    if (!r) return;
    this.view = fitMap(r, this.els.canvas.clientWidth, this.els.canvas.clientHeight);
  }

  /** Resolves true once a frame with this seq (or later) is placed, false after the timeout. */
  waitPlaced(seq: number, timeoutMs: number): Promise<boolean> {
    if (this.placed.some((p) => p.seq >= seq)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        this.placedWaiters.delete(waiter);
        resolve(ok);
      };
      const waiter = (placed: number) => placed >= seq && finish(true);
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.placedWaiters.add(waiter);
    });
  }

  clientToStage(x: number, y: number): Vec {
    const r = this.els.canvas.getBoundingClientRect();
    return screenToStage(this.currentView(), { x: x - r.left, y: y - r.top });
  }

  private currentView(): MapView {
    const c = this.els.canvas;
    if (!this.view) this.fit();
    const v = this.view ?? { centerXUm: 0, centerYUm: 0, umPerPx: 100, widthPx: 0, heightPx: 0 };
    if (v.widthPx !== c.clientWidth || v.heightPx !== c.clientHeight) {
      this.view = { ...v, widthPx: c.clientWidth, heightPx: c.clientHeight };
      return this.view;
    }
    return v;
  }

  /** A display frame: placed by the coalescer (live-frames.ts) unless it has no camera values. */
  private readonly onFrame = (frame: DecodedFrame): void => {
    this.probe.frameWork.frames++;
    this.timed(() => {
      if (!mapPixels(frame)) return; // lut8: the feed supplies this frame
      this.shownSeqs.add(frame.meta.seq);
      if (this.shownSeqs.size > SHOWN_KEPT) {
        this.shownSeqs.delete(this.shownSeqs.values().next().value!);
      }
      this.live.push(frame, isLiveFrame(this.store.getState().mirror?.state));
    });
  };

  /** Runs `work`, adding its time to probe.frameWork (once, when nested). */
  private timed(work: () => void): void {
    if (this.timing) return work();
    const t0 = performance.now();
    this.timing = true;
    try {
      work();
    } finally {
      this.timing = false;
      this.probe.frameWork.ms += performance.now() - t0;
    }
  }

  private placeShown(frame: DecodedFrame): void {
    const m = mapPixels(frame);
    if (m) this.place(m.pixels, frame.meta, m.reduction);
  }

  /** Places one frame's pixels: the whole frame, or a reduction of it (its own geometry). */
  private place(
    pixels: Uint16Array,
    meta: Omit<FrameMeta, 'sentAtMs'>,
    reduction: Reduction | null,
  ): void {
    const s = this.store.getState().mirror?.state;
    if (!s) return;
    try {
      const o = cameraOrientationOf(s.stageOrientation);
      const full = frameGeometry(meta, s.camera, o);
      const g = reduction ? reducedGeometry(full, o, reduction) : full;
      const channel = frameChannel(meta, s.channels, s.activeChannel);
      const cells = this.mosaic.place(pixels, g, o, channel);
      this.zStack.add(pixels, g, o, meta.stage.zUm);
      this.persistence?.markDirty(cells);
      this.mosaic.evictOverBudget();
      this.placed.push({
        seq: meta.seq,
        channel,
        centerXUm: g.centerXUm,
        centerYUm: g.centerYUm,
      });
      if (this.placed.length > PLACED_RING) this.placed.shift();
      this.dirty = true;
      for (const w of this.placedWaiters) w(meta.seq);
    } catch (err) {
      this.opts.onError(`frame ${meta.seq ?? ''} not placed: ${(err as Error).message}`);
    }
  }

  private readonly tick = (): void => {
    this.raf = requestAnimationFrame(this.tick);
    this.draw();
  };

  /** Redraws when the view, the display window or the mosaic changed. */
  private draw(): void {
    const c = this.els.canvas;
    if (c.clientWidth === 0 || c.clientHeight === 0) return; // tab hidden
    const s = this.store.getState();
    const v = this.currentView();
    const win: DisplayWindow = clampWindow(
      { min: s.windowMin, max: s.windowMax, gamma: s.gamma },
      65536,
    );
    const dpr = window.devicePixelRatio || 1;
    const key = `${v.centerXUm}|${v.centerYUm}|${v.umPerPx}|${v.widthPx}|${v.heightPx}|${win.min}|${win.max}|${win.gamma}|${s.colormap}|${dpr}`;
    if (!this.dirty && key === this.lastKey) return;
    this.dirty = false;
    this.lastKey = key;
    this.els.layer.style.transform = stageLayerTransform(v);
    this.els.layer.style.setProperty('--map-scale', String(1 / v.umPerPx));
    if (!this.renderer) return;
    this.renderer.render(this.mosaic, {
      view: v,
      window: win,
      colormap: s.colormap,
      tints: channelTints(this.mosaic.channels()),
      dpr,
    });
    this.loadVisible(this.renderer.level, v);
    this.probe.level = this.renderer.level;
    this.probe.drawnCells = this.renderer.drawnCells;
    this.probe.renders++;
  }
}
