/** Every error code the code base can raise has an HTTP status and a line in the README's table. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWN_ERROR_CODES } from '../../../electron/remote/http-reply';
import { repoRoot } from '../../support/serve-process';

/** Codes passed to AquilaError (and subclass) constructors or written as `code: 'E_…'` under `dirs`. */
function codesInSource(dirs: string[]): Set<string> {
  const codes = new Set<string>();
  for (const dir of dirs)
    for (const rel of readdirSync(path.join(repoRoot, dir), { recursive: true }).map(String)) {
      if (!rel.endsWith('.ts')) continue;
      const text = readFileSync(path.join(repoRoot, dir, rel), 'utf8');
      for (const m of text.matchAll(/(?:super\(\s*|new AquilaError\(\s*|code: )'(E_[A-Z_]+)'/g))
        codes.add(m[1]!);
    }
  return codes;
}

describe('error codes', () => {
  const inSource = codesInSource(['drivers', 'electron']);
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

  it('finds the codes (the scan itself works)', () => {
    expect(inSource).toContain('E_LIMIT');
    expect(inSource).toContain('E_UPLOAD');
  });

  it('each has an HTTP status and a row in the README table', () => {
    for (const code of inSource) {
      expect(KNOWN_ERROR_CODES, code).toContain(code);
      expect(readme, code).toMatch(new RegExp(`^\\| \`${code}\` +\\| \\d{3} +\\| \\S`, 'm'));
    }
  });
});
