/**
 * GigE Vision receive rate against Aravis's own C client, in the same run, on Aravis's fake
 * camera (loopback) at its highest rate (AcquisitionFrameRate far above what it can send, so
 * it sends as fast as its own thread can fill and send frames), Mono16, the same packet size:
 * - frames/s delivered complete, incomplete (counted) frames, host CPU per complete frame;
 * - at 1 % packet loss (`--gvsp-lost-ratio`; the fake cannot resend): every frame is either
 *   delivered or counted incomplete — checked independently of the receiver's own count, by
 *   reading the frame id out of the fake's test pattern (pixel 0 = 256 × id mod 65535).
 * Aravis: `arv-camera-test-0.8 --no-packet-socket` (its packet socket sees no loopback
 * traffic); its CPU is the child's user + system time.
 * Run: npm run bench:camera  (options: --seconds=N, --sizes=512,2048, --rate=HZ to pace the
 * fake below its highest rate; `--name value` works as well as `--name=value`)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { GigeCamera } from '../../drivers/cameras/gige/gige-camera';
import type { RawFrame } from '../../drivers/devices';
import { aravisFakeAvailable, startAravisFake } from '../support/aravis-fake';

const arg = (name: string) => new RegExp(`--${name}[= ]([^ ]+)`).exec(process.argv.join(' '))?.[1];
const seconds = Number(arg('seconds') ?? 4);
const sizes = (arg('sizes') ?? '512,2048').split(',').map(Number);
/** The fake's AcquisitionFrameRate: far above what it can send (its highest rate) unless set. */
const RATE_HZ = Number(arg('rate') ?? 10_000);
const LOSSES = [0, 10]; // per thousand

interface Result {
  fps: number;
  /** Frames the fake sent per second while this client received (it shares the CPU). */
  sentFps: number;
  incomplete: number;
  cpuMsPerFrame: number;
  packetSize?: number;
  /** Frame ids neither delivered nor counted incomplete / counted twice (Aquila only). */
  unaccounted?: number;
  doubled?: number;
  /** Incomplete frames and the packets they missed, by the receiver's reason (Aquila only). */
  reasons?: Record<string, { frames: number; packets: number }>;
  /** UDP datagrams the kernel dropped for a full socket buffer during the run (Linux). */
  kernelDrops?: number;
}

/** Linux's UDP RcvbufErrors (all sockets: on this otherwise quiet loopback, the stream's). */
function rcvbufErrors(): number | undefined {
  try {
    const lines = readFileSync('/proc/net/snmp', 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('Udp:'));
    const keys = lines[0]!.split(/\s+/);
    const vals = lines[1]!.split(/\s+/);
    return Number(vals[keys.indexOf('RcvbufErrors')]);
  } catch {
    return undefined;
  }
}
const dropsSince = (before: number | undefined) => {
  const now = rcvbufErrors();
  return before === undefined || now === undefined ? undefined : now - before;
};

/** Frame id from the fake's Mono16 pattern: pixel 0 = 256 × id mod 65535 (256 is its own inverse). */
const fakeFrameId = (f: RawFrame) => (f.pixels[0]! * 256) % 65535;

async function aquila(): Promise<Result> {
  // frame ids (mod 65535: block ids skip 0, the pattern is mod 65535) in arrival order
  const events: number[] = [];
  const reasons: Record<string, { frames: number; packets: number }> = {};
  let delivered = 0;
  const cam = new GigeCamera(
    'bench',
    { address: '127.0.0.1' },
    {
      log: (_l, m) => {
        if (!/ incomplete \(/.test(m)) console.log(`    (${m})`);
      },
    },
  );
  cam.subscribe((e) => {
    if (e.type !== 'incomplete-frame') return;
    events.push(e.blockId % 65535);
    const r = (reasons[e.reason] ??= { frames: 0, packets: 0 });
    r.frames++;
    r.packets += e.missingPackets ?? 0;
  });
  await cam.connect();
  try {
    await cam.setFeature('GainRaw', 0);
    await cam.setExposureMs(10);
    await cam.setFeature('AcquisitionFrameRate', RATE_HZ);
    const c0 = process.cpuUsage();
    const drops0 = rcvbufErrors();
    const t0 = performance.now();
    await cam.startLive((f) => {
      delivered++;
      events.push(fakeFrameId(f));
    });
    await new Promise((r) => setTimeout(r, seconds * 1000));
    await cam.stopLive();
    const dt = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    // every frame between the first and the last one seen must be delivered or counted once
    const rel = events.map((id) => ((id - events[0]! + 65535 + 1000) % 65535) - 1000);
    const span = rel.length ? Math.max(...rel) - Math.min(...rel) + 1 : 0;
    const distinct = new Set(rel).size;
    return {
      fps: delivered / dt,
      sentFps: span / dt,
      incomplete: cam.incompleteFrames,
      cpuMsPerFrame: (cpu.user + cpu.system) / 1000 / Math.max(1, delivered),
      unaccounted: span - distinct,
      doubled: rel.length - distinct,
      reasons,
      kernelDrops: dropsSince(drops0),
    };
  } finally {
    await cam.disconnect();
  }
}

async function aravis(size: number, packetSize: number): Promise<Result> {
  const args = [
    '--no-packet-socket',
    ...['-w', String(size), '-h', String(size), '-i', String(packetSize)],
    ...['-f', String(RATE_HZ), '-e', '10000', '--features', 'PixelFormat=Mono16'],
    ...['--duration', String(seconds)],
  ];
  const drops0 = rcvbufErrors();
  const out = await new Promise<string>((resolve, reject) => {
    // bash's `times` prints the child's user and system CPU time
    const p = spawn('bash', ['-c', 'arv-camera-test-0.8 "$@"; times', 'bench', ...args]);
    let text = '';
    p.stdout.on('data', (d) => (text += d));
    p.stderr.on('data', (d) => (text += d));
    p.on('error', reject);
    p.on('exit', () => resolve(text));
  });
  const num = (key: string) => {
    const m = new RegExp(`${key}\\s*=\\s*(\\d+)`).exec(out);
    if (!m) throw new Error(`arv-camera-test printed no ${key}:\n${out}`);
    return Number(m[1]);
  };
  const times = [...out.matchAll(/(\d+)m([\d.]+)s/g)].slice(-2); // children: user, system
  const cpuS = times.reduce((s, t) => s + Number(t[1]) * 60 + Number(t[2]), 0);
  const completed = num('n_completed_buffers');
  const incomplete = num('n_failures') + num('n_missing_frames');
  return {
    fps: completed / seconds,
    sentFps: (completed + incomplete) / seconds,
    incomplete,
    cpuMsPerFrame: (cpuS * 1000) / Math.max(1, completed),
    kernelDrops: dropsSince(drops0),
  };
}

function row(who: string, r: Result): string {
  const why = Object.entries(r.reasons ?? {})
    .map(([k, n]) => `${k} ${n.frames} frames / ${n.packets} packets`)
    .join(', ');
  const extra =
    (why ? ` (${why})` : '') +
    (r.kernelDrops !== undefined ? `  kernel dropped ${r.kernelDrops} packets` : '') +
    (r.unaccounted !== undefined
      ? `  unaccounted ${r.unaccounted}, counted twice ${r.doubled}`
      : '');
  return `  ${who.padEnd(7)} ${r.fps.toFixed(1).padStart(7)} frames/s (of ${r.sentFps.toFixed(1)} sent)  ${String(r.incomplete).padStart(5)} incomplete  ${r.cpuMsPerFrame.toFixed(2).padStart(6)} ms CPU/frame${extra}`;
}

if (!aravisFakeAvailable()) {
  console.error(
    'bench:camera needs arv-fake-gv-camera-0.8 and arv-camera-test-0.8 (Debian aravis-tools)',
  );
  process.exit(1);
}
/** The socket receive buffer cap, the setting kernel drops at 0 % loss depend on (Linux). */
const rmemMax = (() => {
  try {
    return `${(Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8')) / 2 ** 20).toFixed(0)} MiB`;
  } catch {
    return 'unknown';
  }
})();
console.log(
  `GigE Vision receive, Aravis fake camera on loopback, Mono16, ${seconds} s a run, asked for ${RATE_HZ} frames/s; net.core.rmem_max ${rmemMax} (docs/drivers/gige-vision.md: raise it for large frames)`,
);
const verdicts: string[] = [];
for (const size of sizes) {
  for (const lost of LOSSES) {
    const fake = await startAravisFake({
      sensorPx: { width: size, height: size },
      lostPerThousand: lost || undefined,
    });
    try {
      const ours = await aquila();
      const packetSize = 65_000; // what Aquila negotiates on loopback (MAX_PACKET)
      const theirs = await aravis(size, packetSize);
      const ratio = theirs.fps > 0 ? ours.fps / theirs.fps : Infinity;
      console.log(`${size}² (${(size * size * 2) / 2 ** 20} MiB), ${lost / 10} % packet loss:`);
      console.log(row('Aquila', ours));
      console.log(row('Aravis', theirs));
      console.log(
        theirs.fps > 0
          ? `  ratio ${ratio.toFixed(2)}× Aravis's frame rate`
          : '  ratio: Aravis completed no frame',
      );
      if (lost === 0)
        verdicts.push(
          `${size}² 0 %: ${ratio >= 0.9 ? 'meets' : 'misses'} ≥ 0.9× (${ratio.toFixed(2)}×), ${ours.incomplete === 0 ? 'no' : ours.incomplete} incomplete`,
        );
      else
        verdicts.push(
          `${size}² 1 %: ${ours.unaccounted === 0 && ours.doubled === 0 ? 'every frame delivered or counted' : `${ours.unaccounted} frames unaccounted, ${ours.doubled} counted twice`}`,
        );
    } finally {
      await fake.stop();
    }
  }
}
console.log(
  'goal: ≥ 0.9× Aravis with 0 incomplete at 0 % loss; every incomplete frame counted at 1 %',
);
for (const v of verdicts) console.log(`  ${v}`);
