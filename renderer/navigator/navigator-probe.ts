/**
 * `window.__aquilaNavigator`: what the navigator holds and draws, for end-to-end tests and
 * the benchmark. Read-only views of real state: the mosaic's stored texels, the view, the
 * GPU texture budget; conversions between stage µm and page (client) coordinates.
 */
import type { PlanPosition } from '../../electron/api/contract';
import type { Vec } from './frame-placement';
import type { MapView } from './map-view';
import type { BudgetStats } from './texture-budget';

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
