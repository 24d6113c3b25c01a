/**
 * `npm run bench:serial` — command round-trip through the full driver stack
 * (Laser.getPowerMw → SerialLink → SerialTransport → pty → wire simulator → parse) vs a
 * raw `serialport` write/read of the same bytes on the same pty, measured in one run,
 * interleaved in rounds so machine load affects both alike. Goal: ratio ≤ 1.2.
 */
import { SerialPort } from 'serialport';
import { CoboltLaser } from '../../drivers/lasers/cobolt/cobolt-laser';
import { CoboltSim } from '../../drivers/lasers/cobolt/cobolt-sim';
import { ObisLaser } from '../../drivers/lasers/obis/obis-laser';
import { ObisSim } from '../../drivers/lasers/obis/obis-sim';
import { SimWorld } from '../../drivers/sim/world';
import type { WireSimulator } from '../../drivers/wire-sim/sim-base';
import { runWireSim } from '../../drivers/wire-sim/run-sim';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 150);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/** Raw serialport: write the command bytes, resolve when the reply's last line has arrived. */
async function rawRoundTrips(
  path: string,
  bytes: string,
  replyEnd: string,
  n: number,
): Promise<number[]> {
  const port = await new Promise<SerialPort>((resolve, reject) => {
    const p = new SerialPort({ path, baudRate: 115_200, autoOpen: false });
    p.open((err) => (err ? reject(err) : resolve(p)));
  });
  const times: number[] = [];
  let buf = '';
  let done: (() => void) | undefined;
  port.on('data', (chunk: Buffer) => {
    buf += chunk.toString('latin1');
    if (buf.endsWith(replyEnd)) {
      buf = '';
      done?.();
    }
  });
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      done = resolve;
      port.write(Buffer.from(bytes, 'latin1'));
    });
    times.push(performance.now() - t0);
  }
  await new Promise<void>((resolve) => port.close(() => resolve()));
  return times;
}

async function driverRoundTrips(laser: ObisLaser | CoboltLaser, n: number): Promise<number[]> {
  await laser.connect();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await laser.getPowerMw();
    times.push(performance.now() - t0);
  }
  await laser.disconnect();
  return times;
}

interface Case {
  name: string;
  makeSim: (world: SimWorld) => WireSimulator;
  makeLaser: (path: string, world: SimWorld) => ObisLaser | CoboltLaser;
  bytes: string;
  replyEnd: string;
}

const ctx = (world: SimWorld) => ({ simWorld: () => world, log: () => undefined });
const cases: Case[] = [
  {
    name: 'OBIS  SOUR:POW:LEV:IMM:AMPL? (value + OK)',
    makeSim: (w) => new ObisSim(w, 'bench', { handshake: true }),
    makeLaser: (path, w) => new ObisLaser('bench', { port: path }, ctx(w)),
    bytes: 'SOUR:POW:LEV:IMM:AMPL?\r\n',
    replyEnd: 'OK\r\n',
  },
  {
    name: 'Cobolt p? (one line)',
    makeSim: (w) => new CoboltSim(w, 'bench'),
    makeLaser: (path, w) => new CoboltLaser('bench', { port: path }, ctx(w)),
    bytes: 'p?\r',
    replyEnd: '\r\n',
  },
];

async function main(): Promise<void> {
  console.log(`bench:serial — ${ROUNDS} rounds × ${PER_ROUND} round trips per side, medians in µs`);
  let worst = 0;
  for (const c of cases) {
    const world = new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 1_000 });
    const running = await runWireSim(c.makeSim(world));
    const laser = c.makeLaser(running.devicePath, world);
    const raw: number[] = [];
    const drv: number[] = [];
    try {
      // warm-up (JIT, connect-time setup) is not measured
      await driverRoundTrips(laser, 50);
      await rawRoundTrips(running.devicePath, c.bytes, c.replyEnd, 50);
      for (let r = 0; r < ROUNDS; r++) {
        raw.push(...(await rawRoundTrips(running.devicePath, c.bytes, c.replyEnd, PER_ROUND)));
        drv.push(...(await driverRoundTrips(laser, PER_ROUND)));
      }
    } finally {
      await laser.disconnect();
      await running.stop();
    }
    const rawUs = median(raw) * 1000;
    const drvUs = median(drv) * 1000;
    const ratio = drvUs / rawUs;
    worst = Math.max(worst, ratio);
    console.log(
      `${c.name.padEnd(44)} raw ${rawUs.toFixed(0).padStart(6)} µs   driver ${drvUs.toFixed(0).padStart(6)} µs   ratio ${ratio.toFixed(3)}`,
    );
  }
  console.log(`worst ratio ${worst.toFixed(3)} (goal ≤ 1.2) — ${worst <= 1.2 ? 'met' : 'NOT met'}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
