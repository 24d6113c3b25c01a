/**
 * Serves the built renderer (dist/renderer) with a strict CSP. No directory listing, no
 * traversal, and no symlink out of the UI folder: the file's real path must lie inside the
 * UI folder's real path.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { decodeOrNull } from './request-path';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The real path of `urlPath` under `root` when it is a regular file inside root's real path, else null. */
async function resolveInside(root: string, urlPath: string): Promise<string | null> {
  let rel = decodeOrNull(urlPath);
  if (rel === null || rel.includes('\0')) return null;
  if (rel === '/' || rel === '') rel = '/index.html';
  const file = path.resolve(root, '.' + rel);
  if (!file.startsWith(root + path.sep)) return null;
  const [realRoot, realFile] = await Promise.all([
    realpath(root).catch(() => null),
    realpath(file).catch(() => null),
  ]);
  if (!realRoot || !realFile?.startsWith(realRoot + path.sep)) return null;
  return realFile;
}

/** Answers `urlPath` from `root` and returns true, or returns false (nothing written) when no such file. */
export async function serveStatic(
  root: string,
  urlPath: string,
  res: ServerResponse,
): Promise<boolean> {
  const file = await resolveInside(root, urlPath);
  if (!file) return false;
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return false;
  res.writeHead(200, {
    'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': path.basename(file) === 'index.html' ? 'no-store' : 'no-cache',
  });
  // A read error after the headers (file removed, EIO) can only cut the reply short.
  await pipeline(createReadStream(file), res).catch(() => res.destroy());
  return true;
}
