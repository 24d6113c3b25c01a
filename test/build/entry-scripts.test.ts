/**
 * The plain-Node entry scripts a fresh clone depends on: `npm start`'s Electron check,
 * `npm run serve`'s UI build when dist/renderer is missing, and the CLI loader's choice
 * between the prebuilt bundle and the TypeScript sources. Each runs in a child Node (they
 * are .mjs files outside the TypeScript project).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir';

const root = path.resolve(import.meta.dirname, '../..');

/** Runs `body` as an ES module in a child Node, with `mod` imported from the repo file `file`. */
function withModule(file: string, body: string): unknown {
  const code = `const mod = await import(${JSON.stringify(path.join(root, file))});\n${body}`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

describe('npm start without the Electron binary', () => {
  it('explains in one paragraph, without a stack, and points to npm run serve', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'build/check-electron.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '' },
    });
    // This machine cannot download the binary (see README); with it, the check passes.
    if (r.status === 0) return expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^The Aquila window is unavailable: /);
    expect(r.stderr).toContain('npm run serve');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the cause: package missing, binary missing, or none', () => {
    expect(
      withModule(
        'build/check-electron.mjs',
        `console.log(JSON.stringify([
          mod.electronProblem(() => { throw Object.assign(new Error('nope'), { code: 'MODULE_NOT_FOUND' }); }),
          mod.electronProblem(() => { throw new Error('Electron failed to install correctly\\nmore'); }),
          mod.electronProblem(() => '/opt/electron/electron'),
        ]));`,
      ),
    ).toEqual([
      expect.stringMatching(/^the optional electron package is not installed/),
      'Electron failed to install correctly',
      null,
    ]);
  });

  it('is what npm start runs first; electron is optional so npm install survives a failed download', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.start).toMatch(/^node build\/check-electron\.mjs && /);
    expect(pkg.optionalDependencies.electron).toBeDefined();
    expect(pkg.devDependencies.electron).toBeUndefined();
    expect(pkg.dependencies.electron).toBeUndefined();
  });
});

describe('npm run serve in a clone that was never built', () => {
  it('builds the UI once when index.html is missing, and not again', () => {
    const outDir = tempDir('aquila-ui-');
    const body = (dir: string) => `
      let builds = 0;
      const built = await mod.ensureRenderer({
        outDir: ${JSON.stringify(dir)},
        log: () => {},
        build: async () => { builds++; (await import('node:fs')).writeFileSync(${JSON.stringify(path.join(dir, 'index.html'))}, '<!doctype html>'); },
      });
      console.log(JSON.stringify({ built, builds }));`;
    expect(withModule('build/ensure-renderer.mjs', body(outDir))).toEqual({
      built: true,
      builds: 1,
    });
    expect(withModule('build/ensure-renderer.mjs', body(outDir))).toEqual({
      built: false,
      builds: 0,
    });
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.preserve).toBe('node build/ensure-renderer.mjs');
  });

  it('fails clearly when the build produced no index.html', () => {
    const outDir = tempDir('aquila-ui-');
    expect(() =>
      withModule(
        'build/ensure-renderer.mjs',
        `await mod.ensureRenderer({ outDir: ${JSON.stringify(outDir)}, log: () => {}, build: async () => {} });`,
      ),
    ).toThrow(/building the UI did not produce .*index\.html/);
  });
});

describe('bin/load-cli.mjs', () => {
  it('uses the bundle only while no input is newer than it', () => {
    const base = tempDir('aquila-bundle-');
    const dist = path.join(base, 'dist');
    mkdirSync(path.join(base, 'src'));
    mkdirSync(dist);
    const src = path.join(base, 'src/a.ts');
    writeFileSync(src, '');
    writeFileSync(path.join(dist, 'cli.mjs'), '');
    writeFileSync(path.join(dist, 'inputs.json'), JSON.stringify(['src/a.ts']));
    const t = Date.now() / 1000;
    const fresh = () =>
      withModule(
        'bin/load-cli.mjs',
        `console.log(JSON.stringify(mod.freshBundle(${JSON.stringify(dist)}, ${JSON.stringify(base)})));`,
      );
    utimesSync(src, t - 100, t - 100);
    utimesSync(path.join(dist, 'cli.mjs'), t - 50, t - 50);
    expect(fresh()).toBe(path.join(dist, 'cli.mjs'));
    utimesSync(src, t, t); // a source edited after the build
    expect(fresh()).toBeNull();
    utimesSync(src, t - 100, t - 100);
    writeFileSync(path.join(dist, 'inputs.json'), JSON.stringify(['src/a.ts', 'src/gone.ts']));
    expect(fresh()).toBeNull();
    expect(
      withModule('bin/load-cli.mjs', 'console.log(JSON.stringify([...mod.BUNDLED_COMMANDS]));'),
    ).toEqual(['call', 'state', 'datasets']);
  });
});
