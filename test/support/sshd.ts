/**
 * A throwaway OpenSSH server for tunnel tests: Debian's sshd on a free 127.0.0.1 port, with a
 * fresh host key and client key pair in a temp folder; only that key logs in, as the
 * current user; no passwords, no PAM; local forwarding only (`ssh -L` works, `-R` does not).
 * `forward()` opens `ssh -N -L` and resolves once the local end accepts connections.
 *
 * `sshdUnavailable()` says why sshd cannot run here (not installed: `apt-get install -y
 * openssh-server openssh-client`, which .ci/run does), or null.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { tempDir } from './temp-dir';

export const SSHD_PATH = '/usr/sbin/sshd';
/** sshd's compiled-in privilege separation folder; it refuses to start without it. */
const PRIVSEP_DIR = '/run/sshd';

export interface Sshd {
  port: number;
  dir: string;
  /** `ssh -N -L localPort:127.0.0.1:targetPort` through this server; resolves with localPort. */
  forward(targetPort: number): Promise<{ localPort: number; close(): Promise<void> }>;
  log(): string;
  stop(): Promise<void>;
}

export function sshdUnavailable(): string | null {
  if (!existsSync(SSHD_PATH)) return `${SSHD_PATH} missing: apt-get install -y openssh-server`;
  try {
    execFileSync('ssh', ['-V'], { stdio: 'ignore' });
    execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return 'ssh or ssh-keygen missing: apt-get install -y openssh-client';
  }
  if (!existsSync(PRIVSEP_DIR)) {
    try {
      mkdirSync(PRIVSEP_DIR, { mode: 0o755 });
    } catch (err) {
      return `cannot create ${PRIVSEP_DIR} (sshd needs it; run as root): ${(err as Error).message}`;
    }
  }
  return null;
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

async function waitFor(what: string, ok: () => Promise<boolean>, ms: number, why: () => string) {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}\n${why()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startSshd(): Promise<Sshd> {
  const problem = sshdUnavailable();
  if (problem) throw new Error(problem);
  const dir = tempDir('aquila-sshd-');
  const port = await freePort();
  const user = os.userInfo().username;
  const keygen = (file: string, comment: string) =>
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  keygen(path.join(dir, 'host_key'), 'aquila test host');
  keygen(path.join(dir, 'client_key'), 'aquila test client');
  execFileSync('cp', [path.join(dir, 'client_key.pub'), path.join(dir, 'authorized_keys')]);
  writeFileSync(
    path.join(dir, 'sshd_config'),
    [
      `ListenAddress 127.0.0.1:${port}`,
      'AddressFamily inet',
      `HostKey ${dir}/host_key`,
      `PidFile ${dir}/sshd.pid`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      `AllowUsers ${user}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'UsePAM no',
      // the keys sit under the world-writable temp folder; the folder itself is 0700
      'StrictModes no',
      'AllowTcpForwarding local',
      'GatewayPorts no',
      'X11Forwarding no',
      'PermitTunnel no',
      'UseDNS no',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  let log = '';
  // sshd must be started by absolute path (it re-executes itself per connection)
  const sshd = spawn(SSHD_PATH, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  sshd.stdout!.on('data', (d) => (log += d));
  sshd.stderr!.on('data', (d) => (log += d));
  const sshArgs = [
    '-F',
    '/dev/null',
    '-o',
    `Port=${port}`,
    '-i',
    path.join(dir, 'client_key'),
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'LogLevel=ERROR',
    '-o',
    'ExitOnForwardFailure=yes',
  ];
  const tunnels = new Set<ChildProcess>();
  try {
    await waitFor(
      'sshd to accept a key login',
      async () => {
        if (sshd.exitCode !== null) throw new Error(`sshd exited ${sshd.exitCode}:\n${log}`);
        try {
          execFileSync('ssh', [...sshArgs, '-o', 'ConnectTimeout=5', `${user}@127.0.0.1`, 'true'], {
            stdio: 'ignore',
            timeout: 10_000,
          });
          return true;
        } catch {
          return false;
        }
      },
      30_000,
      () => log,
    );
  } catch (err) {
    await stopChild(sshd);
    throw err;
  }

  return {
    port,
    dir,
    log: () => log,
    async forward(targetPort) {
      const localPort = await freePort();
      let out = '';
      const tunnel = spawn(
        'ssh',
        [...sshArgs, '-N', '-L', `${localPort}:127.0.0.1:${targetPort}`, `${user}@127.0.0.1`],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      tunnel.stderr!.on('data', (d) => (out += d));
      tunnels.add(tunnel);
      await waitFor(
        `ssh -L ${localPort} to listen`,
        async () => {
          if (tunnel.exitCode !== null) throw new Error(`ssh -L exited ${tunnel.exitCode}: ${out}`);
          return accepts(localPort);
        },
        15_000,
        () => out,
      );
      return {
        localPort,
        async close() {
          tunnels.delete(tunnel);
          await stopChild(tunnel);
        },
      };
    },
    async stop() {
      await Promise.all([...tunnels].map(stopChild));
      await stopChild(sshd);
    },
  };
}
