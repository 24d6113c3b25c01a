/**
 * The z-stack being imaged at the current field as two orthogonal slices (XZ over YZ), one
 * row per plane, highest z on top, through the live view's display window and colour map
 * (display/canvas-renderer.ts's value table). Shown once two or more planes exist.
 */
import { useEffect, useRef, useState } from 'react';
import { buildValueTable } from '../display/canvas-renderer';
import { clampWindow } from '../display/lut';
import { useUi } from '../ui/host-context';
import { SLICE_SAMPLES, type ZSliceStack } from './z-slices';

const REDRAW_MS = 250;

export function ZSliceView({ stack }: { stack: ZSliceStack | null }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [planes, setPlanes] = useState(0);
  const colormap = useUi((s) => s.colormap);
  const min = useUi((s) => s.windowMin);
  const max = useUi((s) => s.windowMax);
  const gamma = useUi((s) => s.gamma);

  useEffect(() => {
    if (!stack) return;
    let drawn = -1;
    const draw = () => {
      const c = canvas.current;
      if (!c || stack.version === drawn) return;
      drawn = stack.version;
      const ps = stack.sorted;
      setPlanes(ps.length);
      if (ps.length < 2) return;
      const table = buildValueTable(clampWindow({ min, max, gamma }, 65536), colormap);
      c.width = SLICE_SAMPLES;
      c.height = 2 * ps.length + 1;
      const img = new ImageData(SLICE_SAMPLES, c.height);
      const out = new Uint32Array(img.data.buffer);
      ps.forEach((p, row) => {
        for (let i = 0; i < SLICE_SAMPLES; i++) {
          out[row * SLICE_SAMPLES + i] = table[p.xz[i]!]!;
          out[(ps.length + 1 + row) * SLICE_SAMPLES + i] = table[p.yz[i]!]!;
        }
      });
      c.getContext('2d')?.putImageData(img, 0, 0);
    };
    draw();
    const t = setInterval(draw, REDRAW_MS);
    return () => clearInterval(t);
  }, [stack, colormap, min, max, gamma]);

  return (
    <div className="nav-zslices" hidden={planes < 2}>
      <span className="sub">
        Z-stack here: {planes} planes (XZ above, YZ below, top = highest z)
      </span>
      <canvas
        ref={canvas}
        className="nav-zslice-canvas"
        data-testid="nav-zslice"
        data-planes={planes}
      />
    </div>
  );
}
