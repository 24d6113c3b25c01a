/**
 * bench:display — 2048×2048 uint16 frames from the host to pixels in Chromium (software
 * WebGL). Measures the app (`aquila serve` + the real UI) with full frames (the default
 * page), with the fitted view (`?stream=fit`: the host sends the view pyramid level that
 * fits the canvas, the page uploads it at its own size) as raw uint16 and as `lut8`, and the
 * fitted view with the camera in `test-pattern` mode (pre-rendered frames: the cores the
 * simulated sample's rendering takes go to the display path). In the same run: a bare
 * baseline (the same simulated camera feeding a minimal WebSocket-to-WebGL page with the
 * same one-in-flight acknowledgement, no app code) and the drawing ceiling
 * (display-ceiling.html: a 1024² texture uploaded and drawn per animation frame, no camera,
 * no socket; as R8, R16 and draw only). The viewport gives the live view a 1024×1024 canvas,
 * so the fitted view is pyramid level 1 (a canvas even a few px larger gets level 0, the full
 * frame). Prints displayed frames/s, the frames/s the host published (the camera's rate as
 * the host delivered it), median and p95 latency (draw time − send time, and − end of
 * exposure), each goal, and ratios against the baseline and the R8 ceiling.
 * Usage: npm run bench:display [-- --seconds 10 --exposure-ms 10 --only fitted,ceiling]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { WebSocketServer } from 'ws';
import { SimCamera } from '../../drivers/sim/camera';
import { SimWorld } from '../../drivers/sim/world';
import { SimLaser } from '../../drivers/sim/sim-devices';
import { encodeFrameHeader, pixelBytes } from '../../electron/host/frame-codec';
import { DisplayChannel, FrameBus } from '../../electron/host/frame-bus';
import { StateStore } from '../../electron/host/state-store';
import type { AppState } from '../../electron/api/contract';
import { launchChromium } from '../support/browser';
import { repoRoot, startServe } from '../support/serve-process';
import { removeTempDirs, tempDir } from '../support/temp-dir';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 10);
const EXPOSURE_MS = arg('exposure-ms', 10);
const WARMUP_MS = 3_000;
/** Gives the live view a canvas of about 1024×1024 CSS px in the app's layout. */
const VIEWPORT = { width: 1424, height: 1172 };

interface Figures {
  /** The live view canvas in CSS px (the baseline page's is not measured). */
  canvas: string;
  fps: number;
  medianMs: number;
  p95Ms: number;
  medianFromExposureMs: number;
  /** Frames the host published per second while measuring (the bus's seq; app pages only). */
  hostFps: number | null;
  /** What the app page last drew: "full" or the reduced view's level, size and codec. */
  view: string;
  /** The navigator's main-thread ms per display frame it received (app pages only). */
  navigatorMsPerFrame: number | null;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

type Probe = {
  framesDrawn: number;
  lastSeq?: number;
  latenciesMs: number[];
  exposureLatenciesMs: number[];
  navigator?: { frames: number; ms: number };
};

async function measure(
  url: string,
  probeName: '__aquilaDisplay' | '__baseline' | '__ceiling',
  prepare: (page: Page) => Promise<void>,
): Promise<Figures> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(url);
    await prepare(page);
    const read = () =>
      page.evaluate((n) => {
        const p = (window as unknown as Record<string, Probe | undefined>)[n];
        return p
          ? {
              framesDrawn: p.framesDrawn,
              lastSeq: p.lastSeq,
              latenciesMs: [...p.latenciesMs],
              exposureLatenciesMs: [...p.exposureLatenciesMs],
              navigator: window.__aquilaNavigator && { ...window.__aquilaNavigator.frameWork },
            }
          : null;
      }, probeName);
    const deadline = Date.now() + 30_000;
    while (((await read())?.framesDrawn ?? 0) < 3) {
      if (Date.now() > deadline) throw new Error(`no frames drawn at ${url}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const a = (await read())!;
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const b = (await read())!;
    const frames = b.framesDrawn - a.framesDrawn;
    const elapsedMs = Date.now() - t0;
    const { canvas, view } = await page.evaluate(() => {
      const c = document.querySelector('[data-testid="live-view"]');
      const v = window.__aquilaDisplay?.lastView;
      return {
        canvas: c ? `${c.clientWidth}×${c.clientHeight}` : '',
        view: !window.__aquilaDisplay
          ? ''
          : v
            ? `level ${v.level} ${v.widthPx}×${v.heightPx} ${v.codec}`
            : 'full frames',
      };
    });
    // The rings may wrap; take the newest `frames` samples (bounded by the ring).
    const lat = b.latenciesMs.slice(-Math.min(frames, b.latenciesMs.length));
    const latExp = b.exposureLatenciesMs.slice(-Math.min(frames, b.exposureLatenciesMs.length));
    return {
      canvas,
      view,
      fps: (frames * 1000) / elapsedMs,
      hostFps:
        a.lastSeq !== undefined && b.lastSeq !== undefined
          ? ((b.lastSeq - a.lastSeq) * 1000) / elapsedMs
          : null,
      medianMs: quantile(lat, 0.5),
      p95Ms: quantile(lat, 0.95),
      medianFromExposureMs: quantile(latExp, 0.5),
      navigatorMsPerFrame:
        a.navigator && b.navigator && b.navigator.frames > a.navigator.frames
          ? (b.navigator.ms - a.navigator.ms) / (b.navigator.frames - a.navigator.frames)
          : null,
    };
  } finally {
    await browser.close();
  }
}

/**
 * `camera`: `sample` images the simulated slide (the camera's render threads share this
 * machine's cores with everything measured); `test-pattern` sends pre-rendered frames, so the
 * host and the page get the cores the sample's rendering would take.
 */
async function measureApp(query: string, camera: 'sample' | 'test-pattern'): Promise<Figures> {
  const config = JSON.parse(
    readFileSync(path.join(repoRoot, 'assets/configs/simulated.json'), 'utf8'),
  ) as { devices: { kind: string; options: Record<string, unknown> }[] };
  config.devices.find((d) => d.kind === 'camera')!.options.mode = camera;
  const configFile = path.join(tempDir('aquila-bench-display-'), 'config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const serve = await startServe(['--config', configFile]);
  const call = (name: string, body: unknown) =>
    fetch(new URL(`/api/commands/${name}`, serve.baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${serve.token}` },
      body: JSON.stringify(body),
    });
  try {
    return await measure(`${serve.loginUrl}${query}`, '__aquilaDisplay', async (page) => {
      await page.getByTestId('live-view').waitFor({ timeout: 20_000 });
      await call('channel.apply', { name: 'GFP' });
      await call('camera.setExposure', { exposureMs: EXPOSURE_MS });
      await call('camera.startLive', {});
    });
  } finally {
    await serve.stop();
  }
}

async function measureBaseline(): Promise<Figures> {
  const world = new SimWorld({ seed: 7, cellCount: 3000, slideHalfWidthUm: 1500 });
  const laser = new SimLaser('laser488', world, { wavelengthNm: 488, maxPowerMw: 150 });
  const config = JSON.parse(
    readFileSync(path.join(repoRoot, 'assets/configs/simulated.json'), 'utf8'),
  );
  const camOptions = config.devices.find((d: { kind: string }) => d.kind === 'camera').options;
  const camera = new SimCamera('camera', world, camOptions);
  await laser.connect();
  await laser.setPowerMw(10);
  await laser.setEmission(true);
  await camera.connect();
  await camera.setExposureMs(EXPOSURE_MS);
  const store = new StateStore({
    lasers: {},
    camera: null,
    stage: null,
    focus: null,
  } as unknown as AppState);
  const bus = new FrameBus(store);
  const html = readFileSync(path.join(import.meta.dirname, 'display-baseline.html'));
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(html);
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (ws) => {
    const ch = new DisplayChannel(bus, (f) => {
      ws.send(encodeFrameHeader({ ...f.meta, sentAtMs: Date.now() }), { binary: true, fin: false });
      ws.send(pixelBytes(f.pixels), { binary: true, fin: true });
    });
    ws.on('message', (d) => ch.ack((JSON.parse(d.toString()) as { seq: number }).seq));
    ch.setEnabled(true);
    ws.on('close', () => ch.close());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  await camera.startLive((raw) => bus.publish(raw));
  try {
    return await measure(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      '__baseline',
      async () => undefined,
    );
  } finally {
    await camera.stopLive();
    await camera.disconnect();
    wss.close();
    server.close();
  }
}

/** A static page of this directory on a loopback port, while `run` runs. */
async function withPage<T>(file: string, run: (url: string) => Promise<T>): Promise<T> {
  const html = readFileSync(path.join(import.meta.dirname, file));
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(html);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    return await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  } finally {
    server.close();
  }
}

/** display-ceiling.html: upload + draw per animation frame, nothing else. */
function measureCeiling(query: string): Promise<Figures> {
  return withPage('display-ceiling.html', (url) =>
    measure(`${url}${query}`, '__ceiling', async () => undefined),
  );
}

const fmt = (f: Figures) =>
  `${f.fps.toFixed(1)} frames/s, latency median ${f.medianMs.toFixed(1)} ms, p95 ${f.p95Ms.toFixed(1)} ms (from end of exposure: median ${f.medianFromExposureMs.toFixed(1)} ms)` +
  (f.hostFps === null ? '' : `, host published ${f.hostFps.toFixed(1)} frames/s`) +
  (f.canvas ? `, canvas ${f.canvas}` : '') +
  (f.view ? `, ${f.view}` : '') +
  (f.navigatorMsPerFrame === null
    ? ''
    : `, navigator ${f.navigatorMsPerFrame.toFixed(1)} ms main thread per frame`);

const CASES: Record<string, () => Promise<Figures>> = {
  'app, full frames': () => measureApp('', 'sample'),
  'app, fitted view': () => measureApp('&stream=fit', 'sample'),
  'app, fitted lut8': () => measureApp('&stream=fit&codec=lut8', 'sample'),
  'app, fitted, test-pattern camera': () => measureApp('&stream=fit', 'test-pattern'),
  'baseline (bare)': measureBaseline,
  'ceiling r8': () => measureCeiling('?format=r8'),
  'ceiling r16': () => measureCeiling('?format=r16'),
  'ceiling draw only': () => measureCeiling('?format=none'),
};
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1]!.split(',') : null;
const results = new Map<string, Figures>();
const loadBefore = os.loadavg();
for (const [name, run] of Object.entries(CASES)) {
  if (only && !only.some((o) => name.includes(o))) continue;
  results.set(name, await run());
}
removeTempDirs();
const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
console.log(
  `bench:display  2048x2048 uint16, exposure ${EXPOSURE_MS} ms, ${SECONDS} s each, Chromium software WebGL, ` +
    `load average ${load(loadBefore)} before, ${load(os.loadavg())} after`,
);
for (const [name, f] of results) console.log(`  ${name.padEnd(32)} ${fmt(f)}`);
const base = results.get('baseline (bare)');
const ceiling = results.get('ceiling r8');
for (const [name, app] of results) {
  if (!name.startsWith('app')) continue;
  const ratios = [
    base && `${(app.fps / base.fps).toFixed(2)}x baseline fps`,
    ceiling && `${(app.fps / ceiling.fps).toFixed(2)}x the r8 ceiling's fps`,
    base && `median latency ${(app.medianMs / base.medianMs).toFixed(2)}x baseline`,
  ].filter(Boolean);
  console.log(
    `  ${name}: frames/s ${app.fps.toFixed(1)} (goal >= 30: ${app.fps >= 30 ? 'met' : 'NOT met'}), ` +
      `median latency ${app.medianMs.toFixed(1)} ms (goal <= 50: ${app.medianMs <= 50 ? 'met' : 'NOT met'}); ${ratios.join(', ')}`,
  );
}
