// How bin/aquila.mjs loads the CLI. Commands that only talk to a running host (`call`,
// `state`, `datasets`) start from the prebuilt bundle in dist/cli (`npm run build:host`,
// also run by `npm test` and `npm run build`) when it is newer than every source file it was
// built from: no TypeScript loader, no host modules, ~0.2 s. Everything else — and those
// commands when the bundle is missing or stale — runs from the TypeScript sources via tsx.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
export const BUNDLED_COMMANDS = new Set(['call', 'state', 'datasets']);

/** The bundle's entry file when `distDir/inputs.json` names no file newer than it, else null. */
export function freshBundle(distDir = path.join(root, 'dist/cli'), base = root) {
  try {
    const entry = path.join(distDir, 'cli.mjs');
    const builtMs = statSync(entry).mtimeMs;
    const inputs = JSON.parse(readFileSync(path.join(distDir, 'inputs.json'), 'utf8'));
    if (!Array.isArray(inputs) || inputs.length === 0) return null;
    for (const f of inputs) if (statSync(path.resolve(base, f)).mtimeMs > builtMs) return null;
    return entry;
  } catch {
    return null; // missing bundle, missing input (renamed source) or unreadable list: stale
  }
}

/** Imports the CLI module (exports runCli) the fastest up-to-date way for `command`. */
export async function loadCli(command) {
  const bundle = BUNDLED_COMMANDS.has(command) ? freshBundle() : null;
  if (bundle) return import(bundle);
  const { register } = await import('tsx/esm/api');
  register();
  return import('../electron/cli/main.ts');
}
