/**
 * bench:display — 2048×2048 uint16 frames from the host to pixels in Chromium (software
 * WebGL). Measures the app (`aquila serve` + the real UI) with full frames (the default
 * page) and with the fitted view (`?stream=fit`: the host sends the view pyramid level that
 * fits the canvas, the page uploads it at its own size), and, in the same run, a bare
 * baseline: the same simulated camera feeding a minimal WebSocket-to-WebGL page with the
 * same one-in-flight acknowledgement, no app code. The viewport is sized so the live view's
 * canvas is about 1024² (printed). Prints displayed frames/s, median and p95 latency (draw
 * time − send time, and − end of exposure), ratios against the baseline and each goal.
 * Usage: npm run bench:display [-- --seconds 10 --exposure-ms 10]
 */
import { readFileSync } from 'node:fs';
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

const argv = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 10);
const EXPOSURE_MS = arg('exposure-ms', 10);
const WARMUP_MS = 3_000;
/** Gives the live view a canvas of about 1024×1024 CSS px in the app's layout. */
const VIEWPORT = { width: 1500, height: 1180 };

interface Figures {
  /** The live view canvas in CSS px (the baseline page's is not measured). */
  canvas: string;
  fps: number;
  medianMs: number;
  p95Ms: number;
  medianFromExposureMs: number;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

type Probe = { framesDrawn: number; latenciesMs: number[]; exposureLatenciesMs: number[] };

async function measure(
  url: string,
  probeName: '__aquilaDisplay' | '__baseline',
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
              latenciesMs: [...p.latenciesMs],
              exposureLatenciesMs: [...p.exposureLatenciesMs],
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
    const canvas = await page.evaluate(() => {
      const c = document.querySelector('[data-testid="live-view"]');
      return c ? `${c.clientWidth}×${c.clientHeight}` : '';
    });
    // The rings may wrap; take the newest `frames` samples (bounded by the ring).
    const lat = b.latenciesMs.slice(-Math.min(frames, b.latenciesMs.length));
    const latExp = b.exposureLatenciesMs.slice(-Math.min(frames, b.exposureLatenciesMs.length));
    return {
      canvas,
      fps: (frames * 1000) / (Date.now() - t0),
      medianMs: quantile(lat, 0.5),
      p95Ms: quantile(lat, 0.95),
      medianFromExposureMs: quantile(latExp, 0.5),
    };
  } finally {
    await browser.close();
  }
}

async function measureApp(query: string): Promise<Figures> {
  const serve = await startServe([]);
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

const fmt = (f: Figures) =>
  `${f.fps.toFixed(1)} frames/s, latency median ${f.medianMs.toFixed(1)} ms, p95 ${f.p95Ms.toFixed(1)} ms (from end of exposure: median ${f.medianFromExposureMs.toFixed(1)} ms)${f.canvas ? `, canvas ${f.canvas}` : ''}`;

const full = await measureApp('');
const fitted = await measureApp('&stream=fit');
const base = await measureBaseline();
console.log(
  `bench:display  2048x2048 uint16, exposure ${EXPOSURE_MS} ms, ${SECONDS} s each, Chromium software WebGL, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(`  app, full frames   ${fmt(full)}`);
console.log(`  app, fitted view   ${fmt(fitted)}`);
console.log(`  baseline (bare)    ${fmt(base)}`);
for (const [name, app] of [
  ['full frames', full],
  ['fitted view', fitted],
] as const) {
  console.log(
    `  ${name}: frames/s ${app.fps.toFixed(1)} (goal >= 30: ${app.fps >= 30 ? 'met' : 'NOT met'}; ${(app.fps / base.fps).toFixed(2)}x baseline), ` +
      `median latency ${app.medianMs.toFixed(1)} ms (goal <= 50: ${app.medianMs <= 50 ? 'met' : 'NOT met'}; ${(app.medianMs / base.medianMs).toFixed(2)}x baseline), ` +
      `p95 ${(app.p95Ms / base.p95Ms).toFixed(2)}x baseline`,
  );
}
