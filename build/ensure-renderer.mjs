// `npm run serve` runs this first (the `preserve` script): a clone that was never built gets
// its UI built once (dist/renderer), instead of a host that answers 503 "UI is not built".
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');

/** Builds with `build()` when `outDir` has no index.html; answers whether it built. */
export async function ensureRenderer({
  outDir = path.join(root, 'dist/renderer'),
  build = buildRenderer,
  log = (line) => process.stderr.write(line + '\n'),
} = {}) {
  if (existsSync(path.join(outDir, 'index.html'))) return false;
  log(`The UI is not built yet (${path.relative(root, outDir) || outDir}): building it once …`);
  await build();
  if (!existsSync(path.join(outDir, 'index.html')))
    throw new Error(`building the UI did not produce ${path.join(outDir, 'index.html')}`);
  return true;
}

async function buildRenderer() {
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    await ensureRenderer();
  } catch (err) {
    process.stderr.write(`Cannot build the UI: ${err?.message ?? err}\n`);
    process.exit(1);
  }
}
