/**
 * A drag on the navigator's map, in stage µm: begun by a primary-button pointer-down on an
 * element inside the map layer (whose `--map-scale` gives screen px per µm), followed on the
 * window, and handed to `onRelease` on pointer-up. `key` says what is dragged. The map's own
 * pan does not start (the pointer-down is stopped).
 */
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';

export interface MapDrag<K> {
  key: K;
  dxUm: number;
  dyUm: number;
  /** Screen px per µm when the drag began. */
  scale: number;
}

interface Tracked<K> extends MapDrag<K> {
  x: number;
  y: number;
}

export function useMapDrag<K>(onRelease: (d: MapDrag<K>) => void): {
  drag: MapDrag<K> | null;
  begin: (key: K, e: ReactPointerEvent<Element>) => void;
} {
  const [drag, setDrag] = useState<Tracked<K> | null>(null);
  // The drag as the window listeners see it (state updates land later).
  const latest = useRef<Tracked<K> | null>(null);
  const release = useRef(onRelease);
  release.current = onRelease;
  const set = (d: Tracked<K> | null) => {
    latest.current = d;
    setDrag(d);
  };
  const dragging = drag !== null;
  useEffect(() => {
    if (!dragging) return;
    const onMove = (e: PointerEvent) => {
      const d = latest.current;
      if (d) set({ ...d, dxUm: (e.clientX - d.x) / d.scale, dyUm: (e.clientY - d.y) / d.scale });
    };
    const onUp = () => {
      const d = latest.current;
      set(null);
      if (d) release.current({ key: d.key, dxUm: d.dxUm, dyUm: d.dyUm, scale: d.scale });
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
    return () => {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
    };
  }, [dragging]);
  const begin = (key: K, e: ReactPointerEvent<Element>) => {
    if (e.button !== 0) return;
    e.stopPropagation();
    const layer = e.currentTarget.closest<HTMLElement>('.nav-layer');
    const scale = Number(layer?.style.getPropertyValue('--map-scale'));
    if (scale > 0) set({ key, x: e.clientX, y: e.clientY, scale, dxUm: 0, dyUm: 0 });
  };
  return { drag, begin };
}
