/**
 * Browser side of bench:navigator (bundled by ../navigator.ts): the navigator's own mosaic
 * (MosaicPyramid) and renderer (MosaicRenderer, three.js) on a bare canvas, driven by
 * requestAnimationFrame. `run()` pans (and steps the zoom) every frame and, optionally,
 * places a 2048² frame every 1/30 s as a streaming camera would.
 */
import { MosaicPyramid } from '../../../renderer/navigator/mosaic-pyramid';
import { MosaicRenderer } from '../../../renderer/navigator/mosaic-renderer';
import type { MapView } from '../../../renderer/navigator/map-view';
import type { CameraOrientation } from '../../../electron/api/contract';

const ID: CameraOrientation = { flipX: false, flipY: false, rotate90: 0 };

export interface RunResult {
  fps: number;
  meanRenderMs: number;
  framesPlaced: number;
  residentBytes: number;
  budgetBytes: number;
  maxResidentBytes: number;
  evictions: number;
  maxDrawnCells: number;
}

function noise(n: number, seed: number): Uint16Array {
  const p = new Uint16Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    p[i] = 200 + (s >>> 22);
  }
  return p;
}

const canvas = document.querySelector('canvas')!;
let mosaic = new MosaicPyramid();
let renderer: MosaicRenderer | null = null;

const bench = {
  /** `tiles` frames of tilePx² at tileUm µm, on a square grid with that pitch. */
  setup(tiles: number, tilePx: number, tileUm: number, budgetBytes: number, channels = 2): number {
    renderer?.dispose();
    mosaic = new MosaicPyramid();
    renderer = new MosaicRenderer(canvas, budgetBytes);
    const side = Math.ceil(Math.sqrt(tiles));
    const pixels = noise(tilePx * tilePx, 7);
    const t0 = performance.now();
    for (let i = 0; i < tiles; i++) {
      const g = {
        widthPx: tilePx,
        heightPx: tilePx,
        umPerPx: tileUm / tilePx,
        centerXUm: (i % side) * tileUm,
        centerYUm: Math.floor(i / side) * tileUm,
      };
      mosaic.place(pixels, g, ID, i % channels === 0 ? 'GFP' : 'RFP');
    }
    return performance.now() - t0;
  },

  run(seconds: number, areaUm: number, stream: boolean): Promise<RunResult> {
    const r = renderer!;
    const cam = stream ? noise(2048 * 2048, 3) : null;
    return new Promise((resolve) => {
      const t0 = performance.now();
      let frames = 0;
      let renderMs = 0;
      let lastPlace = t0;
      let maxResident = 0;
      let maxDrawn = 0;
      const tick = () => {
        const now = performance.now();
        // Frames arrive at 30/s whatever the draw rate: place every one due since the last draw.
        while (cam && now - lastPlace >= 1000 / 30) {
          lastPlace += 1000 / 30;
          const a = (lastPlace - t0) / 1000;
          mosaic.place(
            cam,
            {
              widthPx: 2048,
              heightPx: 2048,
              umPerPx: 0.1083,
              centerXUm: areaUm / 2 + 1000 * Math.cos(a),
              centerYUm: areaUm / 2 + 1000 * Math.sin(a),
            },
            ID,
            'GFP',
          );
        }
        // A circular pan over the area; the zoom steps through four levels every second.
        const a = ((now - t0) / 1000) * 0.8;
        const view: MapView = {
          centerXUm: areaUm / 2 + (areaUm / 3) * Math.cos(a),
          centerYUm: areaUm / 2 + (areaUm / 3) * Math.sin(a),
          umPerPx: 2 ** (Math.floor((now - t0) / 1000) % 4),
          widthPx: canvas.clientWidth,
          heightPx: canvas.clientHeight,
        };
        const s = performance.now();
        r.render(mosaic, {
          view,
          window: { min: 200, max: 1200, gamma: 1 },
          colormap: 'grey',
          tints: new Map([
            ['GFP', [0.2, 1, 0.2]],
            ['RFP', [1, 0.2, 1]],
          ]),
          dpr: 1,
        });
        renderMs += performance.now() - s;
        frames++;
        maxResident = Math.max(maxResident, r.budget().residentBytes);
        maxDrawn = Math.max(maxDrawn, r.drawnCells);
        if (now - t0 < seconds * 1000) requestAnimationFrame(tick);
        else {
          const b = r.budget();
          resolve({
            fps: (frames * 1000) / (performance.now() - t0),
            meanRenderMs: renderMs / frames,
            framesPlaced: mosaic.framesPlaced,
            residentBytes: b.residentBytes,
            budgetBytes: b.budgetBytes,
            maxResidentBytes: maxResident,
            evictions: b.evictions,
            maxDrawnCells: maxDrawn,
          });
        }
      };
      requestAnimationFrame(tick);
    });
  },
};

(window as unknown as { __bench: typeof bench }).__bench = bench;
