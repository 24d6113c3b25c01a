/**
 * `window.__aquilaNavigator`: what the navigator holds and draws, for end-to-end tests and
 * the benchmark (built by createNavigatorProbe over the controller's state). Read-only views of real state: the mosaic's stored texels, the view, the
 * GPU texture budget; conversions between stage µm and page (client) coordinates.
 */
import type { PlanPosition } from '../../electron/api/contract';
import type { Vec } from './frame-placement';
import type { MapView } from './map-view';
import type { MosaicPersistence } from './mosaic-persistence';
import type { MosaicPyramid } from './mosaic-pyramid';
import type { MosaicRenderer } from './mosaic-renderer';
import type { BudgetStats } from './texture-budget';
import { stageToScreen } from './map-view';
import type { VolumeAngles } from './volume-renderer';

export interface PlacedFrame {
  seq: number;
  channel: string;
  centerXUm: number;
  centerYUm: number;
}

export interface NavigatorProbe {
  framesPlaced: number;
  /** The last frames placed (newest last, at most 64). */
  placed: PlacedFrame[];
  cells: number;
  channels(): string[];
  view(): MapView;
  /** Mosaic level and cells drawn in the last render, render count. */
  level: number;
  drawnCells: number;
  renders: number;
  gpu(): BudgetStats | null;
  /** Raw value stored at a stage point (any channel when null), or null where unscanned. */
  sample(channel: string | null, xUm: number, yUm: number, level?: number): number | null;
  stageToClient(xUm: number, yUm: number): Vec;
  clientToStage(x: number, y: number): Vec;
  /** The plan positions drawn (from the host's plan.positions). */
  planPositions: PlanPosition[];
  /** Cells restored from IndexedDB at start, cells written, writes pending. */
  restoredCells: number;
  persistedCells: number;
  persistPending: boolean;
  /** Frames placed from the host's feed (frames the display channel skipped). */
  feedPlaced: number;
  /**
   * Display frames the navigator received, and the main-thread ms it spent placing frames
   * (their handling, the coalesced placements and the feed's frames; benchmark).
   */
  frameWork: { frames: number; ms: number };
  /** Cells this session has in IndexedDB (bounded by the storage budget). */
  storedCells: number;
  /**
   * Redraws the mosaic now and returns the RGB drawn at a page point (null without WebGL2):
   * what the operator sees, read back from the GPU.
   */
  drawnRgb(clientX: number, clientY: number): [number, number, number] | null;
  /** Replace the view (benchmark panning). */
  setView(v: Partial<MapView>): void;
}

declare global {
  interface Window {
    __aquilaNavigator?: NavigatorProbe;
  }
}

/** What the probe reads (the NavigatorController's state). */
export interface ProbeSource {
  placed: PlacedFrame[];
  mosaic: MosaicPyramid;
  canvas: HTMLCanvasElement;
  renderer: MosaicRenderer | null;
  view(): MapView;
  setView(v: MapView): void;
  /** Draws the mosaic now. */
  redraw(): void;
  clientToStage(x: number, y: number): Vec;
  planPositions(): PlanPosition[];
  persistence(): MosaicPersistence | null;
  feedPlaced(): number;
}

export function createNavigatorProbe(src: ProbeSource): NavigatorProbe {
  const { mosaic, canvas, renderer } = src;
  const probe = {
    placed: src.placed,
    channels: () => mosaic.channels(),
    view: () => ({ ...src.view() }),
    level: 0,
    drawnCells: 0,
    renders: 0,
    gpu: () => renderer?.budget() ?? null,
    sample: (channel: string | null, x: number, y: number, level = 0) => {
      for (const ch of channel === null ? mosaic.channels() : [channel]) {
        const v = mosaic.sample(ch, x, y, level);
        if (v !== null) return v;
      }
      return null;
    },
    stageToClient: (x: number, y: number) => {
      const r = canvas.getBoundingClientRect();
      const s = stageToScreen(src.view(), { x, y });
      return { x: r.left + s.x, y: r.top + s.y };
    },
    clientToStage: (x: number, y: number) => src.clientToStage(x, y),
    restoredCells: 0,
    frameWork: { frames: 0, ms: 0 },
    drawnRgb: (x: number, y: number) => {
      if (!renderer) return null;
      src.redraw();
      const r = canvas.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      return renderer.readPixel(Math.floor((x - r.left) * dpr), Math.floor((y - r.top) * dpr));
    },
    setView: (v: Partial<MapView>) => src.setView({ ...src.view(), ...v }),
  };
  return Object.defineProperties(probe, {
    framesPlaced: { get: () => mosaic.framesPlaced, enumerable: true },
    cells: { get: () => mosaic.cells.size, enumerable: true },
    planPositions: { get: () => src.planPositions(), enumerable: true },
    persistedCells: { get: () => src.persistence()?.written ?? 0, enumerable: true },
    persistPending: { get: () => src.persistence()?.pending ?? false, enumerable: true },
    storedCells: { get: () => src.persistence()?.storedCells ?? 0, enumerable: true },
    feedPlaced: { get: () => src.feedPlaced(), enumerable: true },
  }) as NavigatorProbe;
}

/** `window.__aquilaVolume`: the 3D view's state and what it draws, read back from the GPU. */
export interface VolumeProbe {
  /** The volume shown (null: none yet), its planes and voxels per side. */
  source: string | null;
  depth: number;
  size: number;
  /** The volume's physical box, µm (null: none), as the caption states it. */
  extentUm: { x: number; y: number; z: number } | null;
  /** What the view shows: the volume, or the focus-map surface. */
  mode: 'volume' | 'focus-map';
  focusPoints: number;
  angles: VolumeAngles;
  /** World size of the box, z stretch, and screen CSS px per world unit of the last render. */
  dims: { x: number; y: number; z: number };
  zScale: number;
  pxPerUnit: number;
  setAngles(a: VolumeAngles): void;
  /**
   * Redraws now and returns the page point at the centroid of the drawn pixels at least
   * `fraction` as bright (sum of RGB) as the brightest, and that brightness; null before a draw.
   */
  brightSpot(fraction: number): { x: number; y: number; brightness: number; pixels: number } | null;
  /** Redraws now and returns the RGB drawn at a page point; null before a draw. */
  rgbAt(clientX: number, clientY: number): [number, number, number] | null;
  /** The canvas's page rectangle. */
  rect(): { left: number; top: number; width: number; height: number };
}

declare global {
  interface Window {
    __aquilaVolume?: VolumeProbe;
  }
}
