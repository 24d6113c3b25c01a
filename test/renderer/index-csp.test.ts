/**
 * The <meta> CSP of renderer/index.html is the one the Electron window (file://, no response
 * headers) relies on; browsers enforce it together with the header CSP of `serve`. It must be
 * as strict as the header: the same directives and sources, minus those a <meta> cannot carry.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/remote/static-files';

const META_IGNORED = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name, sources.sort());
  }
  return map;
}

function metaPolicy(html: string): string {
  const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
  if (!m) throw new Error('renderer/index.html has no CSP <meta>');
  return m[1]!;
}

describe('renderer/index.html CSP', () => {
  const html = readFileSync(path.resolve(import.meta.dirname, '../../renderer/index.html'), 'utf8');
  const meta = directives(metaPolicy(html));

  it('has exactly the header CSP directives and sources a <meta> can carry', () => {
    const header = directives(CONTENT_SECURITY_POLICY);
    for (const name of META_IGNORED) header.delete(name);
    expect(Object.fromEntries(meta)).toEqual(Object.fromEntries(header));
  });

  it('allows no scheme-wide sources for scripts or connections (no bare ws:, http:, data:)', () => {
    for (const name of ['default-src', 'script-src', 'connect-src'])
      for (const source of meta.get(name) ?? [])
        expect(source, `${name} ${source}`).not.toMatch(/^[a-z-]+:$/);
  });

  it('the parser sees a looser policy as different', () => {
    const loose = directives(`${metaPolicy(html)}; connect-src 'self' ws:`);
    expect(loose.get('connect-src')).toEqual(["'self'", 'ws:']);
    expect(Object.fromEntries(loose)).not.toEqual(Object.fromEntries(meta));
  });
});
