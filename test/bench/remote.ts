/**
 * bench:remote — the live view through a real `ssh -L` tunnel (test/support/sshd.ts) and a
 * userspace link throttle (this file: a TCP proxy in front of the tunnel that paces the
 * host→client bytes to a bit rate and delays both directions by a one-way latency; `tc` is
 * not usable here). `aquila serve` (its own process) streams the simulated 2048×2048 uint16
 * camera in live mode at --exposure-ms; a Node WebSocket client in this process (beside the
 * throttle) decodes each frame with the renderer's decoder and acks it, and sends
 * `stage.stop` every 100 ms. For each link it measures received frames/s
 * and the command round trip while frames flow, for: full frames (baseline), the fitted view
 * of a 1024² canvas (level 1) raw, deflated, lut8 and with the host's automatic codec choice.
 * Fitted views are paced chunks (the client reassembles them and reports frame.progress, as the
 * browser does). Each figure is printed beside its goal, the full-frame stream on the same
 * link and the same mode with no link limit, all measured in the same run.
 * No browser: drawing cost is bench:display's subject; this measures the link and the host.
 * Each case also gives the median time from an ack to the host's next frame (see Figures).
 * Usage: npm run bench:remote [-- --seconds 5 --exposure-ms 23 --latency-ms 20]
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import type { DisplayWindow, ViewCodec, ViewRequest } from '../../electron/api/frame-view';
import type { HostMessage } from '../../electron/api/messages';
import { FrameAssembler } from '../../renderer/frames/frame-chunks';
import { decodeViewFrame } from '../../renderer/frames/decode-view-frame';
import { startServe } from '../support/serve-process';
import { startSshd, sshdUnavailable } from '../support/sshd';
import { compareCodecs } from './remote-codecs';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 5);
/**
 * The simulated camera's period is exposure + its 10 ms read-out (assets/configs/simulated.json
 * leaves the default): 23 ms gives the 30 frames/s (33 ms, used until 2026-12-06,
 * gave 23 frames/s).
 */
const EXPOSURE_MS = arg('exposure-ms', 23);
const READOUT_MS = 10;
const LATENCY_MS = arg('latency-ms', 20);
const SIZE = 2048;
const WARMUP_MS = 1_000;
const COMMAND_EVERY_MS = 100;

interface Link {
  name: string;
  mbitPerS: number | null;
}
interface Mode {
  name: string;
  view: ViewRequest | null;
  codec: ViewCodec;
}
/** The display window the client sends (lut8 and auto): the simulated camera's GFP range. */
const WINDOW: DisplayWindow = { min: 100, max: 3000, gamma: 1 };
const FIT: ViewRequest = { canvasWidthPx: 1024, canvasHeightPx: 1024 };
const LINKS: Link[] = [
  { name: 'no limit', mbitPerS: null },
  { name: '100 Mbit/s', mbitPerS: 100 },
  { name: '20 Mbit/s', mbitPerS: 20 },
];
const MODES: Mode[] = [
  { name: 'full frames (baseline)', view: null, codec: 'raw' },
  { name: 'fitted 1024², raw', view: FIT, codec: 'raw' },
  { name: 'fitted, deflate', view: FIT, codec: 'deflate' },
  { name: 'fitted, lut8', view: FIT, codec: 'lut8' },
  { name: 'fitted, auto codec', view: FIT, codec: 'auto' },
  // Next to no bytes: what the camera, the host and this client deliver without a link cost.
  { name: 'ceiling: 32² view', view: { canvasWidthPx: 32, canvasHeightPx: 32 }, codec: 'raw' },
];

/**
 * Paces bytes to `mbitPerS` (null: no limit) with `latencyMs` one-way delay. Host→client
 * bytes queue in a bounded link buffer; when it is full the host side is paused, so TCP back
 * pressure reaches the host as on a real slow link.
 */
async function startThrottle(
  targetPort: number,
  mbitPerS: number | null,
  latencyMs: number,
): Promise<Server & { port: number }> {
  const LINK_BUFFER = 256 * 1024;
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    delayed(client, upstream, null);
    delayed(upstream, client, mbitPerS);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  function delayed(from: Socket, to: Socket, rate: number | null): void {
    const queue: { at: number; data: Buffer }[] = [];
    let queued = 0;
    let budget = 0;
    let last = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      budget =
        rate === null ? Infinity : Math.min(budget + ((now - last) * rate * 1e6) / 8000, 64 * 1024);
      last = now;
      while (queue.length && queue[0]!.at <= now && budget > 0) {
        const head = queue[0]!;
        const n = Math.min(head.data.length, budget);
        to.write(head.data.subarray(0, n));
        budget -= n;
        queued -= n;
        if (n === head.data.length) queue.shift();
        else head.data = head.data.subarray(n);
      }
      if (queued < LINK_BUFFER / 2 && from.isPaused()) from.resume();
    }, 2);
    from.on('data', (data) => {
      queue.push({ at: Date.now() + latencyMs, data });
      queued += data.length;
      if (queued > LINK_BUFFER) from.pause();
    });
    from.on('close', () => clearInterval(timer));
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return Object.assign(server, { port: (server.address() as AddressInfo).port });
}

interface Figures {
  fps: number;
  mbitPerS: number;
  rttMedianMs: number;
  rttP95Ms: number;
  /**
   * Median of (a frame's sentAtMs, host clock) − (when the client acked the frame before it,
   * same clock: host and client share this machine): the ack's trip to the host plus the
   * host's time from the ack to the next frame's header. Frames not sent right after an ack
   * (the first) are left out.
   */
  ackToSendMs: number;
  /** Codecs of the frames received, with counts. */
  codecs: string;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

async function measure(port: number, token: string, mode: Mode): Promise<Figures> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws`, {
    headers: { authorization: `Bearer ${token}` },
  });
  let frames = 0;
  let bytes = 0;
  let counting = false;
  const rtts: number[] = [];
  const codecs = new Map<string, number>();
  const sentAt = new Map<number, number>();
  const ackToSend: number[] = [];
  let ackedAtMs: number | null = null;
  let nextId = 1;
  const chunked = mode.view !== null;
  const assembler = new FrameAssembler();
  ws.on('message', (data, isBinary) => {
    const buf = data as Buffer;
    if (!isBinary) {
      const m = JSON.parse(buf.toString()) as HostMessage;
      if (m.type === 'result' && typeof m.id === 'number' && sentAt.has(m.id)) {
        if (counting) rtts.push(performance.now() - sentAt.get(m.id)!);
        sentAt.delete(m.id);
      }
      return;
    }
    if (counting) bytes += buf.byteLength;
    let ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    if (chunked) {
      const got = assembler.push(ab);
      ws.send(JSON.stringify({ type: 'frame.progress', seq: got.seq, bytes: got.bytes }));
      if (!got.frame) return;
      ab = got.frame;
    }
    void decodeViewFrame(ab).then((f) => {
      if (counting) {
        frames++;
        const c = f.view?.codec ?? 'full';
        codecs.set(c, (codecs.get(c) ?? 0) + 1);
        if (ackedAtMs !== null) ackToSend.push(f.meta.sentAtMs - ackedAtMs);
      }
      ackedAtMs = Date.now();
      ws.send(JSON.stringify({ type: 'frame.ack', seq: f.meta.seq }));
    });
  });
  await new Promise<void>((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const window = mode.codec === 'lut8' || mode.codec === 'auto' ? { window: WINDOW } : {};
  ws.send(
    JSON.stringify({
      type: 'view',
      view: mode.view,
      codec: mode.codec,
      chunks: chunked,
      ...window,
    }),
  );
  ws.send(JSON.stringify({ type: 'frames', enabled: true }));
  const commands = setInterval(() => {
    const id = nextId++;
    sentAt.set(id, performance.now());
    ws.send(JSON.stringify({ type: 'call', id, name: 'stage.stop', args: {} }));
  }, COMMAND_EVERY_MS);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  counting = true;
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  counting = false;
  clearInterval(commands);
  ws.close();
  return {
    fps: frames / SECONDS,
    mbitPerS: (bytes * 8) / SECONDS / 1e6,
    rttMedianMs: quantile(rtts, 0.5),
    rttP95Ms: quantile(rtts, 0.95),
    ackToSendMs: quantile(ackToSend, 0.5),
    codecs: [...codecs].map(([c, n]) => `${c} ${n}`).join(', '),
  };
}

/** One full frame straight from the host (no tunnel), for the codec comparison. */
async function oneFullFrame(port: number, token: string): Promise<Uint16Array> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const frame = new Promise<Uint16Array>((resolve, reject) => {
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      const b = data as Buffer;
      const ab = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
      decodeViewFrame(ab).then((f) => resolve(f.pixels), reject);
    });
  });
  await new Promise<void>((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ type: 'frames', enabled: true }));
  const pixels = await frame;
  ws.close();
  return pixels;
}

async function main(): Promise<void> {
  const problem = sshdUnavailable();
  if (problem) throw new Error(`bench:remote needs sshd: ${problem}`);
  const serve = await startServe([]);
  const port = Number(new URL(serve.baseUrl).port);
  const call = async (name: string, body: unknown) => {
    const res = await fetch(new URL(`/api/commands/${name}`, serve.baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${serve.token}` },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${name}: ${res.status} ${await res.text()}`);
  };
  const sshd = await startSshd();
  const tunnel = await sshd.forward(port);
  await call('channel.apply', { name: 'GFP' });
  await call('camera.setExposure', { exposureMs: EXPOSURE_MS });
  await call('camera.startLive', {});
  compareCodecs(await oneFullFrame(port, serve.token), SIZE, WINDOW);
  console.log(
    `bench:remote — ${SIZE}² uint16, live at ${EXPOSURE_MS} ms exposure + ${READOUT_MS} ms read-out ` +
      `(${(1000 / (EXPOSURE_MS + READOUT_MS)).toFixed(1)} frames/s), through ssh -L + throttle ` +
      `(${LATENCY_MS} ms one-way), ${SECONDS} s per case; stage.stop every ${COMMAND_EVERY_MS} ms`,
  );
  const GOAL_FPS: Record<string, number> = { '100 Mbit/s': 10, '20 Mbit/s': 3 };
  const RTT_GOAL_ABOVE_LINK_MS = 50;
  const linkRttMs = 2 * LATENCY_MS;
  const unlimited = new Map<string, Figures>();
  try {
    for (const link of LINKS) {
      const throttle = await startThrottle(tunnel.localPort, link.mbitPerS, LATENCY_MS);
      let base: Figures | null = null;
      console.log(`\n${link.name} (link round trip ${linkRttMs} ms)`);
      for (const mode of MODES) {
        const f = await measure(throttle.port, serve.token, mode);
        base ??= f;
        if (link.mbitPerS === null) unlimited.set(mode.name, f);
        const free = unlimited.get(mode.name);
        const above = f.rttMedianMs - linkRttMs;
        const goalFps = mode.view === FIT ? GOAL_FPS[link.name] : undefined;
        const notes = [
          mode === MODES[0]
            ? 'baseline'
            : `${(f.fps / Math.max(base.fps, 1e-9)).toFixed(1)}× baseline fps`,
          link.mbitPerS !== null && free && free.fps > 0
            ? `${(f.fps / Math.max(free.fps, 1e-9)).toFixed(2)}× its no-limit fps`
            : null,
          goalFps !== undefined
            ? `goal ≥ ${goalFps} fps: ${f.fps >= goalFps ? 'met' : 'NOT met'}`
            : null,
          mode.view === FIT
            ? `rtt goal ≤ ${RTT_GOAL_ABOVE_LINK_MS} ms above link: ${above <= RTT_GOAL_ABOVE_LINK_MS ? 'met' : 'NOT met'}`
            : null,
        ].filter(Boolean);
        console.log(
          `  ${mode.name.padEnd(22)} ${f.fps.toFixed(1).padStart(5)} frames/s ` +
            `${f.mbitPerS.toFixed(1).padStart(6)} Mbit/s  rtt median ${f.rttMedianMs.toFixed(0)} ms ` +
            `(+${above.toFixed(0)} over link) p95 ${f.rttP95Ms.toFixed(0)} ms  ` +
            `ack→sent ${f.ackToSendMs.toFixed(0)} ms (link one-way ${LATENCY_MS})  [${f.codecs}]`,
        );
        console.log(`  ${''.padEnd(22)} ${notes.join('; ')}`);
      }
      throttle.close();
    }
  } finally {
    await tunnel.close();
    await sshd.stop();
    await serve.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
