/** Runs `aquila serve` (what `npm run serve` runs) as a child process and waits for its ready line. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { tempDir } from './temp-dir';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface ServeProcess {
  child: ChildProcess;
  loginUrl: string;
  baseUrl: string;
  token: string;
  /** Its AQUILA_HOME (users.json: add remote users with electron/remote/users.ts). */
  home: string;
  output(): string;
  stop(): Promise<number | null>;
}

export async function startServe(
  args: string[],
  token = `t-${randomBytes(12).toString('base64url')}`,
): Promise<ServeProcess> {
  const home = tempDir('aquila-home-');
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin/aquila.mjs'), 'serve', '--port', '0', ...args],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        AQUILA_TOKEN: token,
        AQUILA_HOME: home,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const loginUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve did not start within 30 s:\n${out}`)),
      30_000,
    );
    const check = () => {
      const m = /Aquila ready at (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
  const baseUrl = new URL('/', loginUrl).href;
  return {
    child,
    loginUrl,
    baseUrl,
    token,
    home,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/** The host's state (`GET /api/state`) as the operator's token sees it. */
export async function serveState(serve: Pick<ServeProcess, 'baseUrl' | 'token'>) {
  const res = await fetch(new URL('/api/state', serve.baseUrl), {
    headers: { authorization: `Bearer ${serve.token}` },
  });
  return (await res.json()).state;
}
