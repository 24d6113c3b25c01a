/**
 * bench:navigator — the sample navigator's mosaic in Chromium with software WebGL
 * (SwiftShader): frames/s and render time while panning and zooming over 10,000 placed
 * tiles, the same while a 2048² camera streams into the mosaic at 30 frames/s, and GPU
 * texture memory against its budget. The baseline, measured in the same run and page, is
 * the empty scene (no tiles) under the same pan. The page runs the navigator's own modules
 * (MosaicPyramid, MosaicRenderer) bundled with esbuild; the host is not involved.
 * Usage: npm run bench:navigator [-- --seconds 8 --tiles 10000 --budget-mib 64 --channels 2
 *   --width 800 --height 600] (canvas CSS px; the Navigate tab's map is about 340 × 360)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import { launchChromium } from '../support/browser';
import type { RunResult } from './navigator/bench-page';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 8);
const TILES = arg('tiles', 10_000);
const BUDGET = arg('budget-mib', 64) * 1024 * 1024;
/** Tiles alternate between this many channels (each drawn as its own layer). */
const CHANNELS = arg('channels', 2);
const WIDTH = arg('width', 800);
const HEIGHT = arg('height', 600);
/** Tiles: 128² px frames, 64 µm wide, on a 64 µm grid (10,000 → 6.4 × 6.4 mm). */
const TILE_PX = 128;
const TILE_UM = 64;

const bundle = await build({
  entryPoints: [path.join(import.meta.dirname, 'navigator/bench-page.ts')],
  bundle: true,
  format: 'iife',
  write: false,
  target: 'es2022',
  logLevel: 'error',
});
const script = bundle.outputFiles[0]!.text;
const html = `<!doctype html><meta charset="utf-8"><style>html,body{margin:0}canvas{width:${WIDTH}px;height:${HEIGHT}px;display:block}</style><canvas></canvas><script>${script}</script>`;
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(html);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: WIDTH + 20, height: HEIGHT + 20 } });
  await page.goto(url);
  type Bench = {
    setup(tiles: number, px: number, um: number, budget: number, channels: number): number;
    run(seconds: number, areaUm: number, stream: boolean): Promise<RunResult>;
  };
  const setup = (tiles: number) =>
    page.evaluate(
      ([t, px, um, b, ch]) =>
        (window as unknown as { __bench: Bench }).__bench.setup(t!, px!, um!, b!, ch!),
      [tiles, TILE_PX, TILE_UM, BUDGET, CHANNELS],
    );
  const run = (stream: boolean) =>
    page.evaluate(
      ([s, area, st]) =>
        (window as unknown as { __bench: Bench }).__bench.run(
          s as number,
          area as number,
          st as boolean,
        ),
      [SECONDS, Math.ceil(Math.sqrt(TILES)) * TILE_UM, stream],
    );
  await setup(0);
  const empty = await run(false);
  const placeMs = await setup(TILES);
  const panning = await run(false);
  const streaming = await run(true);

  const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;
  const line = (name: string, r: RunResult) =>
    `${name.padEnd(34)} ${r.fps.toFixed(1).padStart(6)} frames/s  render ${r.meanRenderMs
      .toFixed(2)
      .padStart(6)} ms  cells drawn ≤ ${String(r.maxDrawnCells).padStart(3)}  GPU ${mib(
      r.maxResidentBytes,
    )} peak / ${mib(r.budgetBytes)} budget, ${r.evictions} evictions`;
  console.log(
    `bench:navigator — Chromium, software WebGL, ${WIDTH}×${HEIGHT} canvas, ${SECONDS} s per scenario`,
  );
  console.log(
    `placing ${TILES} tiles (${TILE_PX}² px, ${TILE_UM} µm): ${placeMs.toFixed(0)} ms ` +
      `(${((placeMs / TILES) * 1000).toFixed(0)} µs per tile)`,
  );
  console.log(line('baseline: empty scene, panning', empty));
  console.log(line(`${TILES} tiles, panning`, panning));
  console.log(line(`${TILES} tiles + 2048² camera at 30/s`, streaming));
  console.log(
    `ratios to baseline: panning ${(panning.fps / empty.fps).toFixed(2)}×, ` +
      `streaming ${(streaming.fps / empty.fps).toFixed(2)}× ` +
      `(goal ≥ 30 frames/s: panning ${panning.fps >= 30 ? 'met' : 'NOT met'}, ` +
      `streaming ${streaming.fps >= 30 ? 'met' : 'NOT met'}); ` +
      `camera frames placed while streaming: ${streaming.framesPlaced - TILES}`,
  );
  const within = [panning, streaming].every((r) => r.maxResidentBytes <= r.budgetBytes);
  console.log(`GPU texture memory within budget: ${within ? 'yes' : 'NO'}`);
  if (!within) process.exitCode = 1;
} finally {
  await browser.close();
  server.close();
}
