/**
 * Runs a WireSimulator behind a socat pty pair: the simulator holds one end, a driver
 * opens `devicePath`. `vanish()` kills socat (the driver sees the port disappear);
 * `restore()` starts a new socat on the same link paths and re-attaches the simulator.
 */
import { rm } from 'node:fs/promises';
import type { SerialPort } from 'serialport';
import { openSerialPort } from '../serial/open-port';
import { startPtyPair, type PtyPair, type PtyPairOptions } from './pty-pair';
import type { WireSimulator } from './sim-base';

export interface RunningWireSim<S extends WireSimulator = WireSimulator> {
  readonly sim: S;
  /** The path a driver (or a config's `port`) opens. */
  readonly devicePath: string;
  /** Kills socat: the port vanishes mid-whatever. */
  vanish(): Promise<void>;
  /** Brings the port back on the same path. */
  restore(): Promise<void>;
  /** Kills socat and closes the simulator's end. Idempotent. */
  stop(): Promise<void>;
}

export async function runWireSim<S extends WireSimulator>(
  sim: S,
  options: PtyPairOptions = {},
): Promise<RunningWireSim<S>> {
  let pair: PtyPair = await startPtyPair(options);
  const { simPath, devicePath, createdDir } = pair;
  let port: SerialPort | undefined;

  const attach = async () => {
    try {
      port = await openSerialPort({ path: simPath, baudRate: 115_200 });
    } catch (err) {
      await pair.kill();
      if (createdDir) await rm(createdDir, { recursive: true, force: true });
      throw err;
    }
    // The pty end closes with an error when socat dies; that is expected, not a crash.
    port.on('error', () => undefined);
    sim.attach(port);
  };
  const closePort = async () => {
    sim.detach();
    const p = port;
    port = undefined;
    if (p?.isOpen) await new Promise<void>((r) => p.close(() => r()));
  };
  await attach();

  return {
    sim,
    devicePath,
    vanish: async () => {
      await pair.kill();
      await closePort();
    },
    restore: async () => {
      if (pair.isAlive()) return;
      pair = await startPtyPair({ ...options, simPath, devicePath });
      await attach();
    },
    stop: async () => {
      await closePort();
      await pair.kill();
      if (createdDir) await rm(createdDir, { recursive: true, force: true });
    },
  };
}
