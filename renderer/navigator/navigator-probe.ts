/**
 * `window.__aquilaNavigator`: what the navigator holds and draws, for end-to-end tests and
 * the benchmark. Read-only views of real state: the mosaic's stored texels, the view, the
 * GPU texture budget; conversions between stage µm and page (client) coordinates.
 */
import type { PlanPosition } from '../../electron/api/contract';
import type { Vec } from './frame-placement';
import type { MapView } from './map-view';
import type { BudgetStats } from './texture-budget';
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

/** `window.__aquilaVolume`: the 3D view's state and what it draws, read back from the GPU. */
export interface VolumeProbe {
  /** The volume shown (null: none yet), its planes and voxels per side. */
  source: string | null;
  depth: number;
  size: number;
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
