/**
 * Runs a WireSimulator behind a socat pty pair: the simulator holds one end, a driver
 * opens `devicePath`. `vanish()` kills socat and removes the path (as an unplugged USB
 * adapter does); `restore()` starts a new socat and brings the same path back.
 * The device path appears only once the simulator listens (socat links a staging name
 * that is renamed into place), so a driver polling for the port never talks to nobody.
 */
import { mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SerialPort } from 'serialport';
import { openSerialPort } from '../serial/open-port';
import { startPtyPair, type PtyPair } from './pty-pair';
import type { WireSimulator } from './sim-base';

export interface RunningWireSim<S extends WireSimulator = WireSimulator> {
  readonly sim: S;
  /** The path a driver (or a config's `port`) opens. */
  readonly devicePath: string;
  /** Kills socat: the port vanishes mid-whatever. */
  vanish(): Promise<void>;
  /** Brings the port back on the same path. */
  restore(): Promise<void>;
  /**
   * Power-cycles the device: the port vanishes for `offMs` (long enough for a driver to
   * notice), then the device comes back in its power-up state.
   */
  powerCycle(offMs?: number): Promise<void>;
  /** Kills socat and closes the simulator's end. Idempotent. */
  stop(): Promise<void>;
}

export interface RunWireSimOptions {
  /** Where the driver's end appears; default: `device` in a new temp dir. */
  devicePath?: string;
}

export async function runWireSim<S extends WireSimulator>(
  sim: S,
  options: RunWireSimOptions = {},
): Promise<RunningWireSim<S>> {
  const createdDir = options.devicePath
    ? undefined
    : await mkdtemp(path.join(os.tmpdir(), 'aquila-pty-'));
  const devicePath = options.devicePath ?? path.join(createdDir as string, 'device');
  const simPath = `${devicePath}.sim`;
  let pair: PtyPair | undefined;
  let port: SerialPort | undefined;

  const closePort = async () => {
    sim.detach();
    const p = port;
    port = undefined;
    if (p?.isOpen) await new Promise<void>((r) => p.close(() => r()));
  };
  const start = async () => {
    pair = await startPtyPair({ simPath, devicePath: `${devicePath}.starting` });
    try {
      port = await openSerialPort({ path: simPath, baudRate: 115_200 });
      // The pty end closes with an error when socat dies; that is expected, not a crash.
      port.on('error', () => undefined);
      sim.attach(port);
      await rename(pair.devicePath, devicePath);
    } catch (err) {
      await closePort();
      await pair.kill();
      throw err;
    }
  };
  const kill = async () => {
    await pair?.kill();
    await rm(devicePath, { force: true });
    await closePort();
  };
  try {
    await start();
  } catch (err) {
    if (createdDir) await rm(createdDir, { recursive: true, force: true });
    throw err;
  }

  return {
    sim,
    devicePath,
    vanish: kill,
    restore: async () => {
      if (pair?.isAlive()) return;
      await start();
    },
    powerCycle: async (offMs = 300) => {
      await kill();
      sim.powerUp();
      await new Promise((r) => setTimeout(r, offMs));
      await start();
    },
    stop: async () => {
      await kill();
      if (createdDir) await rm(createdDir, { recursive: true, force: true });
    },
  };
}
