/**
 * The 3D view under the map: the z-stack being imaged at the current field (ZSliceStack), or
 * a saved one loaded from a dataset (dataset.readPlane), ray-marched by VolumeRenderer through
 * the live view's LUT (the dataset channel's LUT for a dataset); or the autofocus focus map
 * as a surface when the last automation run recorded one. Drag to turn; Top / Front / Side
 * set the view. `window.__aquilaVolume` is its probe.
 */
import { useEffect, useRef, useState } from 'react';
import type { FocusPoint } from '../../electron/api/contract';
import { clampWindow, type DisplayWindow } from '../display/lut';
import { lutFor, planeWindow } from '../display/plane-image';
import { webgl2Available } from '../display/webgl-renderer';
import { useHost, useUi } from '../ui/host-context';
import { FocusSurface } from './focus-surface';
import type { VolumeProbe } from './navigator-probe';
import { SavedStackControls } from './saved-stack-controls';
import { brightSpot, VolumeRenderer, type VolumeAngles } from './volume-renderer';
import type { ZSliceStack } from './z-slices';
import type { ZVolume } from './z-volume';

/** How often a changed live stack or LUT is redrawn (a ray-marched draw is costly in software GL). */
const REDRAW_MS = 500;
const VIEWS: Record<string, VolumeAngles> = {
  Top: { azimuthDeg: 0, elevationDeg: 90 },
  Front: { azimuthDeg: 0, elevationDeg: 0 },
  Side: { azimuthDeg: 90, elevationDeg: 0 },
};
const NO_POINTS: FocusPoint[] = [];

export function VolumeView({ stack }: { stack: ZSliceStack | null }) {
  const host = useHost();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [saved, setSaved] = useState<ZVolume | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [caption, setCaption] = useState<string | null>(null);
  const [mode, setMode] = useState<'volume' | 'focus-map'>('volume');
  const angles = useRef<VolumeAngles>({ azimuthDeg: 30, elevationDeg: 35 });
  const focusPoints = useUi((s) => s.mirror?.state.automation?.focusMap ?? NO_POINTS);

  // The renderer lives as long as the view; what it shows is read from here on each draw.
  const inputs = useRef({ stack, saved, mode, focusPoints });
  inputs.current = { stack, saved, mode, focusPoints };
  const redraw = useRef<(() => void) | null>(null);
  useEffect(() => {
    redraw.current?.();
  }, [stack, saved, mode, focusPoints]);

  useEffect(() => {
    const c = canvas.current;
    if (!c || !webgl2Available()) return;
    const r = new VolumeRenderer(c);
    const surface = new FocusSurface();
    let drawnKey = '';
    let drawnInputs: unknown[] = [];
    const current = (): ZVolume | null => {
      const i = inputs.current;
      return i.saved ?? i.stack?.volume() ?? null;
    };
    const focusShown = () =>
      inputs.current.mode === 'focus-map' && inputs.current.focusPoints.length > 0;
    const windowFor = (v: ZVolume): DisplayWindow => {
      const s = host.store.getState();
      if (v.channel === null) {
        return clampWindow({ min: s.windowMin, max: s.windowMax, gamma: s.gamma }, 65536);
      }
      return planeWindow(v.data, 16, lutFor(s, v.channel), s.saturatedPct);
    };
    /** Draws when anything shown changed (or when forced); false when there is nothing to show. */
    const draw = (force = false): boolean => {
      const s = host.store.getState();
      const i = inputs.current;
      const a = angles.current;
      const live = i.saved === null && !focusShown() ? i.stack?.version : -1;
      const key = `${live}|${s.windowMin}|${s.windowMax}|${s.gamma}|${s.colormap}|${s.autoContrast}|${a.azimuthDeg}|${a.elevationDeg}|${c.clientWidth}|${c.clientHeight}`;
      const now = [i.saved, i.mode, i.focusPoints];
      if (!force && key === drawnKey && now.every((x, k) => x === drawnInputs[k])) return false;
      drawnKey = key;
      drawnInputs = now;
      const params = {
        angles: a,
        window: { min: 0, max: 1, gamma: 1 },
        colormap: s.colormap,
        widthPx: c.clientWidth,
        heightPx: c.clientHeight,
        dpr: window.devicePixelRatio || 1,
      };
      if (focusShown()) {
        surface.set(i.focusPoints);
        r.render(params, surface.scene);
        setCaption(
          `Focus map: ${i.focusPoints.length} points, z ×${surface.zScale.toPrecision(3)}`,
        );
        return true;
      }
      const v = current();
      if (!v) return false;
      r.setVolume(v);
      const lut = v.channel === null ? s.colormap : (lutFor(s, v.channel)?.colormap ?? s.colormap);
      r.render({ ...params, window: windowFor(v), colormap: lut });
      setCaption(
        `${v.source}: ${boxUm(v)}, ${v.size}×${v.size}×${v.depth} voxels, z ${v.zRange[0]}…${v.zRange[1]} µm${
          r.zScale > 1 ? `, z ×${r.zScale.toPrecision(3)}` : ''
        }`,
      );
      return true;
    };
    const readAt = () => ({
      buf: r.readAll(),
      rect: c.getBoundingClientRect(),
      dpr: window.devicePixelRatio || 1,
    });
    const probe: VolumeProbe = {
      get source() {
        return current()?.source ?? null;
      },
      get depth() {
        return current()?.depth ?? 0;
      },
      get size() {
        return current()?.size ?? 0;
      },
      get extentUm() {
        const v = current();
        return v ? { ...v.extent } : null;
      },
      get mode() {
        return focusShown() ? 'focus-map' : 'volume';
      },
      get focusPoints() {
        return inputs.current.focusPoints.length;
      },
      get angles() {
        return { ...angles.current };
      },
      get dims() {
        const d = focusShown() ? surface.dims : r.dims;
        return { x: d.x, y: d.y, z: d.z };
      },
      get zScale() {
        return focusShown() ? surface.zScale : r.zScale;
      },
      get pxPerUnit() {
        return r.pxPerUnit / (window.devicePixelRatio || 1);
      },
      setAngles: (a) => {
        angles.current = { ...a };
        draw(true);
      },
      brightSpot: (fraction) => {
        if (!draw(true)) return null;
        const { buf, rect, dpr } = readAt();
        const b = brightSpot(buf.rgba, buf.width, buf.height, fraction);
        return { ...b, x: rect.left + b.x / dpr, y: rect.top + b.y / dpr };
      },
      rgbAt: (x, y) => {
        if (!draw(true)) return null;
        const { buf, rect, dpr } = readAt();
        const px = Math.floor((x - rect.left) * dpr);
        const row = buf.height - 1 - Math.floor((y - rect.top) * dpr);
        if (px < 0 || px >= buf.width || row < 0 || row >= buf.height) return null;
        const k = (row * buf.width + px) * 4;
        return [buf.rgba[k]!, buf.rgba[k + 1]!, buf.rgba[k + 2]!];
      },
      rect: () => {
        const b = c.getBoundingClientRect();
        return { left: b.left, top: b.top, width: b.width, height: b.height };
      },
    };
    window.__aquilaVolume = probe;
    redraw.current = () => {
      draw();
    };
    draw(true);
    const t = setInterval(() => draw(), REDRAW_MS);
    let drag: { x: number; y: number } | null = null;
    const down = (e: PointerEvent) => {
      drag = { x: e.clientX, y: e.clientY };
      c.setPointerCapture(e.pointerId);
    };
    const move = (e: PointerEvent) => {
      if (!drag) return;
      const a = angles.current;
      angles.current = {
        azimuthDeg: a.azimuthDeg - (e.clientX - drag.x) * 0.5,
        elevationDeg: Math.min(90, Math.max(-90, a.elevationDeg + (e.clientY - drag.y) * 0.5)),
      };
      drag = { x: e.clientX, y: e.clientY };
      draw();
    };
    const up = () => (drag = null);
    c.addEventListener('pointerdown', down);
    c.addEventListener('pointermove', move);
    c.addEventListener('pointerup', up);
    return () => {
      clearInterval(t);
      redraw.current = null;
      c.removeEventListener('pointerdown', down);
      c.removeEventListener('pointermove', move);
      c.removeEventListener('pointerup', up);
      if (window.__aquilaVolume === probe) delete window.__aquilaVolume;
      surface.dispose();
      r.dispose();
    };
  }, [host]);

  return (
    <div className="nav-volume" data-testid="nav-volume">
      <span className="sub" data-testid="nav-volume-caption">
        {caption ?? '3D view: image two or more z planes here, or load a saved z-stack.'}
      </span>
      <canvas
        ref={canvas}
        className="nav-volume-canvas"
        data-testid="nav-volume-canvas"
        aria-label="3D view of the z-stack (maximum intensity). Drag to turn."
      />
      <div className="row">
        {Object.entries(VIEWS).map(([name, a]) => (
          <button
            type="button"
            key={name}
            data-testid={`nav-volume-${name.toLowerCase()}`}
            onClick={() => window.__aquilaVolume?.setAngles(a)}
          >
            {name}
          </button>
        ))}
        <SavedStackControls
          onLoaded={(v) => {
            setSaved(v);
            setMode('volume');
          }}
          onError={setError}
        />
        <button
          type="button"
          data-testid="nav-volume-live"
          disabled={saved === null && mode === 'volume'}
          onClick={() => {
            setSaved(null);
            setMode('volume');
          }}
        >
          Live stack
        </button>
        <button
          type="button"
          data-testid="nav-volume-focus"
          disabled={focusPoints.length === 0}
          onClick={() => setMode('focus-map')}
        >
          Focus map
        </button>
      </div>
      {error && (
        <p className="error" data-testid="nav-volume-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** The box's physical size for the caption, e.g. `166 × 166 × 4 µm`. */
function boxUm(v: ZVolume): string {
  const f = (x: number) => String(Number(x.toPrecision(3)));
  return `${f(v.extent.x)} × ${f(v.extent.y)} × ${f(v.extent.z)} µm`;
}
