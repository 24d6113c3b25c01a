// Bundles the host for Electron: main (CJS), preload (CJS, sandboxed), and every
// *.worker.ts and the safety supervisor as a sibling .js (see drivers/workers.ts).
// Native modules and packages that load files beside themselves stay external.
import { build } from 'esbuild';
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist/electron');

function findWorkers(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) found.push(...findWorkers(p));
    else if (name.endsWith('.worker.ts')) found.push(p);
  }
  return found;
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // import.meta.resolve is only used to run .ts workers from source, never in a bundle.
  logOverride: { 'empty-import-meta': 'silent' },
  // quickjs-emscripten (the macro sandbox) loads its .wasm beside its own module file;
  // esbuild (TypeScript macros) runs its native binary.
  external: [
    'electron',
    'serialport',
    '@serialport/*',
    'usb',
    'tsx',
    'tsx/*',
    'quickjs-emscripten',
    'esbuild',
  ],
};

await build({
  ...common,
  entryPoints: { main: 'electron/main.ts', preload: 'electron/preload.ts' },
  outdir: out,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  // import.meta.url in shared modules (config paths, workers) → this bundle's file URL.
  define: { 'import.meta.url': '__aquilaImportMetaUrl' },
  banner: { js: "const __aquilaImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
});

const workers = [
  ...findWorkers(path.join(root, 'drivers')),
  ...findWorkers(path.join(root, 'electron')),
  // Not a worker but a process of its own (supervisor-client.ts runs the sibling .js).
  path.join(root, 'electron/safety/supervisor/supervisor-main.ts'),
];
if (workers.length > 0) {
  await build({
    ...common,
    entryPoints: Object.fromEntries(workers.map((w) => [path.basename(w, '.ts'), w])),
    outdir: out,
    format: 'esm',
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
}
// The CLI for bin/load-cli.mjs: ESM, one chunk per command (they are imported lazily), and
// the source files it was built from, so a stale bundle is never run.
const cliOut = path.join(root, 'dist/cli');
rmSync(cliOut, { recursive: true, force: true });
const cli = await build({
  ...common,
  entryPoints: { cli: 'electron/cli/main.ts' },
  absWorkingDir: root, // metafile input paths are relative to it, as bin/load-cli.mjs reads them
  outdir: cliOut,
  format: 'esm',
  splitting: true,
  outExtension: { '.js': '.mjs' },
  metafile: true,
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});
const cliInputs = Object.keys(cli.metafile.inputs).filter((f) => !f.includes('node_modules/'));
writeFileSync(path.join(cliOut, 'inputs.json'), JSON.stringify(cliInputs));
console.log(
  `host bundle → ${path.relative(root, out)} (${workers.length} workers), CLI → dist/cli`,
);
