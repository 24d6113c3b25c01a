/**
 * Dependencies in drivers/ run one way: no module imports (even only types from) a module
 * that imports it back, directly or around a loop. Shared types live in their own modules
 * (driver-types.ts, wire-sim/wire-sim-types.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCycles, importCycles, importGraph } from '../support/import-cycles';
import { tempDir } from '../support/temp-dir';

const root = path.resolve(import.meta.dirname, '../..');

describe('import cycles', () => {
  it('drivers/ has none', () => {
    expect(importCycles(path.join(root, 'drivers'))).toEqual([]);
  });

  it('finds loops of any length and self-imports, not diamonds', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
      ['f', ['d', 'g']],
      ['g', ['d']],
    ]);
    expect(findCycles(g)).toEqual([['a', 'b', 'c'], ['e']]);
  });

  it('sees type-only imports, re-exports, index folders and dynamic imports', () => {
    const dir = tempDir('aquila-cycles-');
    mkdirSync(path.join(dir, 'vendor'));
    const write = (f: string, text: string) => writeFileSync(path.join(dir, f), text);
    write('registry.ts', "import { entry } from './vendor';\nexport const all = [entry];\n");
    write('vendor/index.ts', "export { entry } from './entry';\n");
    write(
      'vendor/entry.ts',
      "import type {\n  Ctx,\n} from '../registry';\nexport const entry = 1;\n",
    );
    write('lazy.ts', "export const load = () => import('./lazy-back');\n");
    write('lazy-back.ts', "import './lazy';\n");
    write('leaf.ts', "import { z } from 'zod';\nimport { all } from './registry';\n");
    expect(importCycles(dir).sort()).toEqual([
      ['lazy-back.ts', 'lazy.ts'],
      ['registry.ts', 'vendor/entry.ts', 'vendor/index.ts'],
    ]);
    expect(
      importGraph([path.join(dir, 'leaf.ts'), path.join(dir, 'registry.ts')]).get(
        path.join(dir, 'leaf.ts'),
      ),
    ).toEqual([path.join(dir, 'registry.ts')]);
  });
});
