/**
 * Pointer and wheel listeners on a canvas that pans and zooms (the live view, the stage
 * map): one place that attaches them (wheel not passive, so it can stop the page scrolling;
 * pointercancel ends a drag like pointerup) and says where an event is on the canvas.
 */
export interface CanvasPointerHandlers {
  wheel(ev: WheelEvent): void;
  down(ev: PointerEvent): void;
  move(ev: PointerEvent): void;
  up(ev: PointerEvent): void;
  leave(): void;
  doubleClick(ev: MouseEvent): void;
}

/** Attaches the handlers; returns the function that detaches them. */
export function listenCanvas(c: HTMLCanvasElement, h: CanvasPointerHandlers): () => void {
  const pairs: [string, EventListener][] = [
    ['pointerdown', h.down as EventListener],
    ['pointermove', h.move as EventListener],
    ['pointerup', h.up as EventListener],
    ['pointercancel', h.up as EventListener],
    ['pointerleave', h.leave as EventListener],
    ['dblclick', h.doubleClick as EventListener],
  ];
  const wheel = h.wheel as EventListener;
  c.addEventListener('wheel', wheel, { passive: false });
  for (const [type, fn] of pairs) c.addEventListener(type, fn);
  return () => {
    c.removeEventListener('wheel', wheel);
    for (const [type, fn] of pairs) c.removeEventListener(type, fn);
  };
}

/** The event's position in CSS pixels from the canvas's top-left corner. */
export function canvasPoint(c: HTMLCanvasElement, ev: MouseEvent): { x: number; y: number } {
  const r = c.getBoundingClientRect();
  return { x: ev.clientX - r.left, y: ev.clientY - r.top };
}
