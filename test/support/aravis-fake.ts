/**
 * Runs Aravis's fake GigE Vision camera (Debian `aravis-tools`) on loopback for tests.
 * It always listens on 127.0.0.1:3956 (GVCP's fixed port), so only one can run on the
 * machine: startAravisFake() takes a machine-wide lock (a directory under the OS temp
 * folder holding the owner's pid; a dead owner's lock is taken over) and stop() frees it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ARAVIS_FAKE_BIN = 'arv-fake-gv-camera-0.8';
export const ARAVIS_FAKE_ADDRESS = '127.0.0.1';
const GVCP_PORT = 3956;
const lockDir = path.join(os.tmpdir(), 'aquila-aravis-fake.lock');
/** How long startAravisFake waits for another test file's fake to finish. */
const LOCK_WAIT_MS = 150_000;
/** Hook timeout for a beforeAll that starts the fake (lock wait plus start-up). */
export const ARAVIS_FAKE_START_TIMEOUT_MS = LOCK_WAIT_MS + 30_000;

/** true when the binary is installed (`.ci/run` installs aravis-tools). */
export function aravisFakeAvailable(): boolean {
  return spawnSync('which', [ARAVIS_FAKE_BIN]).status === 0;
}

export interface AravisFakeOptions {
  serial?: string;
  /** Share of GVSP packets the fake drops, per thousand (its `--gvsp-lost-ratio`). */
  lostPerThousand?: number;
  /**
   * Sensor size to give the fake (default its 2048 × 2048). The fake sends each frame as one
   * unpaced burst; on loopback a 8 MiB Mono16 burst overflows a socket buffer capped by
   * net.core.rmem_max (4 MiB here), so full-sensor tests use a smaller sensor.
   */
  sensorPx?: { width: number; height: number };
}

export interface AravisFake {
  address: string;
  port: number;
  child: ChildProcess;
  output(): string;
  /** SIGKILLs the camera (a camera that dies mid-stream) but keeps the lock for restart(). */
  kill(): Promise<void>;
  /** Starts it again with the same options after kill(). */
  restart(): Promise<void>;
  /** Ends the camera and frees the lock. */
  stop(): Promise<void>;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function takeLock(timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
      } catch {
        // being written right now, or half-removed: retry
      }
      if (Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
    }
    if (Date.now() > end) throw new Error(`the Aravis fake camera stayed locked by ${lockDir}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function freeLock(): void {
  try {
    if (fs.readFileSync(path.join(lockDir, 'pid'), 'utf8') === String(process.pid))
      fs.rmSync(lockDir, { recursive: true, force: true });
  } catch {
    // not ours or already gone
  }
}

/**
 * Sends one GVCP command to the fake (raw bytes: no driver code) every 100 ms until it is
 * acknowledged with `ackCode`.
 */
async function gvcpRoundTrip(
  cmd: Buffer,
  ackCode: number,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, ARAVIS_FAKE_ADDRESS, r));
  try {
    await new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => socket.send(cmd, GVCP_PORT, ARAVIS_FAKE_ADDRESS), 100);
      socket.send(cmd, GVCP_PORT, ARAVIS_FAKE_ADDRESS);
      const timer = setTimeout(() => {
        clearInterval(poll);
        reject(
          new Error(
            `the Aravis fake camera did not answer command 0x${cmd.readUInt16BE(2).toString(16)}:\n${output()}`,
          ),
        );
      }, timeoutMs);
      socket.on('message', (msg) => {
        if (msg.length >= 8 && msg.readUInt16BE(2) === ackCode) {
          clearInterval(poll);
          clearTimeout(timer);
          resolve();
        }
      });
    });
  } finally {
    socket.close();
  }
}

const discoveryCmd = () => Buffer.from([0x42, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01]);

function writeRegCmd(address: number, value: number): Buffer {
  const b = Buffer.from([0x42, 0x01, 0x00, 0x82, 0x00, 0x08, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0]);
  b.writeUInt32BE(address, 8);
  b.writeUInt32BE(value, 12);
  return b;
}

/** The fake's sensor size registers (SensorWidthRegister / SensorHeightRegister in its XML). */
const SENSOR_WIDTH_REG = 0x11c;
const SENSOR_HEIGHT_REG = 0x118;

export async function startAravisFake(options: AravisFakeOptions = {}): Promise<AravisFake> {
  await takeLock(LOCK_WAIT_MS);
  const args = ['-i', ARAVIS_FAKE_ADDRESS];
  if (options.serial) args.push('-s', options.serial);
  if (options.lostPerThousand !== undefined) args.push('-r', String(options.lostPerThousand));
  let out = '';
  let child!: ChildProcess;
  const launch = async () => {
    child = spawn(ARAVIS_FAKE_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    await gvcpRoundTrip(discoveryCmd(), 0x0003, 10_000, () => out);
    if (options.sensorPx) {
      await gvcpRoundTrip(
        writeRegCmd(SENSOR_WIDTH_REG, options.sensorPx.width),
        0x0083,
        2_000,
        () => out,
      );
      await gvcpRoundTrip(
        writeRegCmd(SENSOR_HEIGHT_REG, options.sensorPx.height),
        0x0083,
        2_000,
        () => out,
      );
    }
  };
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  };
  try {
    await launch();
  } catch (err) {
    await end('SIGKILL');
    freeLock();
    throw err;
  }
  const fake: AravisFake = {
    address: ARAVIS_FAKE_ADDRESS,
    port: GVCP_PORT,
    get child() {
      return child;
    },
    output: () => out,
    kill: () => end('SIGKILL'),
    restart: launch,
    stop: async () => {
      await end('SIGTERM');
      freeLock();
    },
  };
  return fake;
}
