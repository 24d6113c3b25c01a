/**
 * One process at a time per upload journal, held by the kernel: the holder listens on a local
 * socket named after the journal directory (Linux: the abstract namespace, no file; Windows: a
 * named pipe; other systems: a socket file in the temp folder, removed when found stale). The kernel closes it the moment
 * the holder dies in any way — kill -9 included, before the parent has reaped the process — so
 * a dead holder never blocks the next one, and there is no pid that could be reused by a
 * stranger. A live holder answers a connection with its pid, which the refusal names.
 * Why not a lock file: a pid file cannot tell a dead-but-unreaped holder (a zombie) from a live
 * one, and Node has no flock(2).
 */
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { StateError } from '../../drivers/errors';

/**
 * The socket address for `dir`, the same for every process on this machine that names the
 * same directory (through links too, once it exists).
 */
export function lockAddress(dir: string): string {
  let real = path.resolve(dir);
  try {
    real = realpathSync.native(real);
  } catch {
    // not created yet: its resolved path
  }
  const id = createHash('sha256').update(real).digest('hex').slice(0, 32);
  if (process.platform === 'linux') return `\0aquila-upload-journal-${id}`;
  if (process.platform === 'win32') return `\\\\.\\pipe\\aquila-upload-journal-${id}`;
  // Socket paths are limited to ~104 bytes; macOS's per-user temp folder alone takes ~50.
  const tmp = process.platform === 'darwin' ? '/tmp' : os.tmpdir();
  return path.join(tmp, `aquila-uj-${id.slice(0, 24)}.sock`);
}

export interface JournalLock {
  release(): Promise<void>;
}

function listen(server: net.Server, address: string): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const onError = (err: NodeJS.ErrnoException) => resolve(err);
    server.once('error', onError);
    server.listen(address, () => {
      server.off('error', onError);
      resolve(null);
    });
  });
}

/** The holder's pid, or null when nothing answers (no holder: a stale socket file). */
function askHolder(address: string): Promise<number | null> {
  return new Promise((resolve) => {
    const s = net.connect(address);
    let text = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => (text += d));
    s.on('end', () => resolve(Number(text) || 0));
    s.on('error', () => resolve(null));
    s.setTimeout(2_000, () => {
      s.destroy();
      resolve(0); // someone holds it but does not answer: treat as held
    });
  });
}

/** Takes the lock for the journal in `dir`, or throws StateError naming the holder. */
export async function lockJournal(dir: string): Promise<JournalLock> {
  const address = lockAddress(dir);
  for (let i = 0; i < 2; i++) {
    const server = net.createServer((c) => c.end(String(process.pid)));
    const err = await listen(server, address);
    if (!err) {
      server.unref(); // the lock alone must not keep the process alive
      return {
        release: () =>
          new Promise<void>((r) => {
            server.close(() => r());
          }),
      };
    }
    if (err.code !== 'EADDRINUSE') throw err;
    const pid = await askHolder(address);
    if (pid !== null)
      throw new StateError(
        `the upload journal in ${dir} is in use by ${pid ? `process ${pid}` : 'another process'} (a running Aquila host or \`aquila upload\`); stop it or use another journal directory`,
      );
    // A socket file left by a holder that died (not Linux or Windows, where nothing is left).
    await rm(address, { force: true });
  }
  throw new StateError(`cannot lock the upload journal in ${dir}`);
}
