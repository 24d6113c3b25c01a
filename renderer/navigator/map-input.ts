/**
 * Pointer input on the stage map: the wheel zooms about the cursor, a drag pans (a press
 * that moves less than CLICK_SLOP_PX is not a drag but a click), a double-click asks to move
 * the stage to the stage point under the cursor, and the cursor's stage position is written
 * to a readout.
 */
import { canvasPoint, listenCanvas } from '../display/canvas-pointer';
import { wheelEventZoomFactor } from '../display/view-transform';
import type { Vec } from './frame-placement';
import { panMap, screenToStage, zoomMapAt, type MapView } from './map-view';

export const CLICK_SLOP_PX = 4;

export interface MapInputTarget {
  view(): MapView;
  setView(v: MapView): void;
  goto(p: Vec): void;
  /** A press and release on the map that did not pan it. */
  click(): void;
}

export class MapInput {
  private drag: { x: number; y: number; id: number; moved: number } | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly cursor: HTMLElement,
    private readonly target: MapInputTarget,
  ) {}

  private detachListeners: (() => void) | null = null;

  attach(): void {
    this.detachListeners = listenCanvas(this.canvas, {
      wheel: this.onWheel,
      down: this.onPointerDown,
      move: this.onPointerMove,
      up: this.onPointerUp,
      leave: this.onPointerLeave,
      doubleClick: this.onDoubleClick,
    });
  }

  detach(): void {
    this.detachListeners?.();
    this.detachListeners = null;
  }

  private local(ev: MouseEvent): Vec {
    return canvasPoint(this.canvas, ev);
  }

  private readonly onWheel = (ev: WheelEvent): void => {
    ev.preventDefault();
    this.target.setView(zoomMapAt(this.target.view(), wheelEventZoomFactor(ev), this.local(ev)));
  };

  private readonly onPointerDown = (ev: PointerEvent): void => {
    if (ev.button !== 0) return;
    this.canvas.setPointerCapture(ev.pointerId);
    this.drag = { ...this.local(ev), id: ev.pointerId, moved: 0 };
  };

  private readonly onPointerMove = (ev: PointerEvent): void => {
    const p = this.local(ev);
    const stage = screenToStage(this.target.view(), p);
    this.cursor.textContent = `X ${stage.x.toFixed(0)}  Y ${stage.y.toFixed(0)} µm`;
    const d = this.drag;
    if (!d || d.id !== ev.pointerId) return;
    d.moved += Math.abs(p.x - d.x) + Math.abs(p.y - d.y);
    if (d.moved < CLICK_SLOP_PX) return;
    this.target.setView(panMap(this.target.view(), p.x - d.x, p.y - d.y));
    this.drag = { ...p, id: d.id, moved: d.moved };
  };

  private readonly onPointerUp = (ev: PointerEvent): void => {
    const d = this.drag;
    if (d?.id !== ev.pointerId) return;
    this.drag = null;
    if (d.moved < CLICK_SLOP_PX) this.target.click();
  };

  private readonly onPointerLeave = (): void => {
    this.cursor.textContent = '';
  };

  private readonly onDoubleClick = (ev: MouseEvent): void => {
    this.target.goto(screenToStage(this.target.view(), this.local(ev)));
  };
}
