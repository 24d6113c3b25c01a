/** The generated `aquila` typings type-check real macros and catch wrong parameters. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { commandNames } from '../../../electron/api/contract';
import { EXAMPLES_DIR } from '../../../electron/macros/macro-library';
import { macroTypings } from '../../../electron/macros/typings';
import { tempDir } from '../../support/temp-dir';

function check(source: string): string[] {
  const dir = tempDir('aquila-typings-');
  writeFileSync(path.join(dir, 'aquila.d.ts'), macroTypings());
  const file = path.join(dir, 'macro.ts');
  writeFileSync(file, `${source}\nexport {};\n`);
  const program = ts.createProgram([path.join(dir, 'aquila.d.ts'), file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    lib: ['lib.es2022.d.ts'],
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('macro typings generated from the contract', () => {
  it('declare every command a macro may call, with its summary', () => {
    const text = macroTypings();
    expect(text).toContain('moveTo(params: {');
    expect(text).toContain('/** Move the XY stage to an absolute position');
    expect(text).not.toMatch(/macro: \{/);
    expect(commandNames.filter((n) => n.startsWith('macro.')).length).toBeGreaterThan(0);
  });

  it('accept a correct macro and the TypeScript example', () => {
    expect(
      check(`const p = await aquila.stage.moveTo({ xUm: 1, yUm: 2 });
const x: number = p.xUm;
const f = await aquila.camera.snap();
const px: Uint16Array = await f.pixels();
aquila.log(x, f.stats.mean, px.length);`),
    ).toEqual([]);
    const example = readFileSync(path.join(EXAMPLES_DIR, 'laser-power-series.ts'), 'utf8');
    expect(check(example)).toEqual([]);
  });

  it('refuse wrong parameters and unknown commands', () => {
    const errors = check(`await aquila.stage.moveTo({ xUm: 'far', yUm: 0 });
await aquila.stage.teleport();
await aquila.laser.setPower({ laserId: 'l', powerMw: 1, extra: true });`);
    expect(errors.join('\n')).toMatch(/Type 'string' is not assignable to type 'number'/);
    expect(errors.join('\n')).toMatch(/Property 'teleport' does not exist/);
    expect(errors.join('\n')).toMatch(/'extra' does not exist/);
  });
});
