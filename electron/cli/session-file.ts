/**
 * Where a running `serve` leaves its URL and token for the CLI on the same machine
 * (`~/.aquila/serve-<port>.json` and `~/.aquila/serve.json` for the latest), mode 0600.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SessionInfo {
  url: string;
  token: string;
  pid: number;
}

export function sessionDir(): string {
  return process.env.AQUILA_HOME ?? path.join(os.homedir(), '.aquila');
}

export function writeSession(info: SessionInfo, port: number): () => void {
  const dir = sessionDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = [path.join(dir, `serve-${port}.json`), path.join(dir, 'serve.json')];
  for (const f of files) writeFileSync(f, JSON.stringify(info), { mode: 0o600 });
  return () => {
    for (const f of files) {
      try {
        const cur = JSON.parse(readFileSync(f, 'utf8')) as SessionInfo;
        if (cur.pid === info.pid) rmSync(f, { force: true });
      } catch {
        // already gone
      }
    }
  };
}

export function readSession(): SessionInfo | null {
  try {
    return JSON.parse(readFileSync(path.join(sessionDir(), 'serve.json'), 'utf8')) as SessionInfo;
  } catch {
    return null;
  }
}
