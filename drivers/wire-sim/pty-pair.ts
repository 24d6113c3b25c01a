/**
 * A pseudo-terminal pair made by socat: `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B`.
 * The simulator opens `simPath`, the driver opens `devicePath`. Killing socat makes the
 * port vanish (socat removes its links on SIGTERM); starting a new pair on the same link
 * paths makes it return. Requires the `socat` binary (Debian: `apt-get install socat`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { StateError } from '../errors';

export interface PtyPairOptions {
  /** Link paths; default: `sim` and `device` in a new temp dir. */
  simPath?: string;
  devicePath?: string;
  startTimeoutMs?: number;
}

export interface PtyPair {
  readonly simPath: string;
  readonly devicePath: string;
  readonly pid: number | undefined;
  /** The temp dir made for the links (when no paths were given); the caller removes it. */
  readonly createdDir: string | undefined;
  isAlive(): boolean;
  /** Ends socat (SIGTERM, then SIGKILL after 1 s); resolves when it has exited. */
  kill(): Promise<void>;
}

export async function startPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  let simPath = options.simPath;
  let devicePath = options.devicePath;
  let createdDir: string | undefined;
  if (!simPath || !devicePath) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'aquila-pty-'));
    createdDir = dir;
    simPath ??= path.join(dir, 'sim');
    devicePath ??= path.join(dir, 'device');
  }
  const child = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${simPath}`, `pty,raw,echo=0,link=${devicePath}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  try {
    await waitForStart(child, options.startTimeoutMs ?? 3_000, simPath, devicePath);
  } catch (err) {
    if (createdDir) await rm(createdDir, { recursive: true, force: true });
    throw err;
  }
  return {
    simPath,
    devicePath,
    pid: child.pid,
    createdDir,
    isAlive: () => !exited,
    kill: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 1_000);
      await exit;
      clearTimeout(force);
    },
  };
}

function waitForStart(
  child: ChildProcess,
  timeoutMs: number,
  simPath: string,
  devicePath: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    const fail = (why: string) => {
      cleanup();
      child.kill('SIGKILL');
      reject(new StateError(`socat pty pair did not start: ${why}`, { stderr }));
    };
    const onData = (d: Buffer) => {
      stderr += d.toString();
      // socat logs "starting data transfer loop" once both ptys (and links) exist.
      if (
        /starting data transfer loop/.test(stderr) &&
        existsSync(simPath) &&
        existsSync(devicePath)
      ) {
        cleanup();
        child.stderr?.resume();
        resolve();
      }
    };
    const onError = (err: NodeJS.ErrnoException) =>
      fail(err.code === 'ENOENT' ? 'socat is not installed (apt-get install socat)' : err.message);
    const onExit = (code: number | null) =>
      fail(`socat exited with code ${code}: ${stderr.trim()}`);
    const timer = setTimeout(() => fail(`no start within ${timeoutMs} ms`), timeoutMs);
    function cleanup() {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('error', onError);
      child.off('exit', onExit);
    }
    child.stderr?.on('data', onData);
    child.once('error', onError);
    child.once('exit', onExit);
  });
}
