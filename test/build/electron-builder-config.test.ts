/**
 * build/electron-builder.yml: the Electron fuses the packaged app must flip, under names the
 * installed electron-builder knows (its JSON schema), and the optional electron package kept
 * out of the app. `npm run dist` itself needs the Electron binary and is not run here.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const yml = readFileSync(path.join(root, 'build/electron-builder.yml'), 'utf8');

/** The `key: value` lines of a top-level YAML mapping block (enough for this flat block). */
function block(name: string): Record<string, string> {
  const m = new RegExp(`^${name}:\\n((?:[ ]+.*\\n?)*)`, 'm').exec(yml);
  if (!m) throw new Error(`no ${name} block in electron-builder.yml`);
  return Object.fromEntries(
    m[1]!
      .split('\n')
      .map((l) => /^\s+(\w+):\s*(\S+)\s*$/.exec(l))
      .filter((x): x is RegExpExecArray => x !== null)
      .map((x) => [x[1]!, x[2]!]),
  );
}

describe('electron-builder config', () => {
  it('flips the hardening fuses', () => {
    expect(block('electronFuses')).toEqual({
      runAsNode: 'true', // the safety supervisor runs as ELECTRON_RUN_AS_NODE
      enableCookieEncryption: 'true',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
    });
  });

  it('names only fuses the installed electron-builder accepts', () => {
    const require = createRequire(path.join(root, 'package.json'));
    const schema = require('app-builder-lib/scheme.json') as {
      definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
      properties: Record<string, unknown>;
    };
    expect(schema.properties).toHaveProperty('electronFuses');
    const known = Object.keys(schema.definitions.FuseOptionsV1.properties);
    for (const key of Object.keys(block('electronFuses'))) expect(known).toContain(key);
  });

  it('keeps the electron npm package out of the packaged app', () => {
    expect(yml).toMatch(/^\s+- '!node_modules\/electron\{,\/\*\*\}'$/m);
  });
});
