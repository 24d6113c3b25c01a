/**
 * TypeScript macros → JavaScript (types stripped by esbuild, not checked) with a mapper from
 * positions in the JavaScript back to the TypeScript, for error locations. esbuild is loaded
 * only for a TypeScript macro: an installation without it (a packaged app ships only runtime
 * dependencies) still runs JavaScript macros.
 */
import type { transform as EsbuildTransform } from 'esbuild';
import { MacroError } from './macro-error';
import { positionMapper, type PositionMapper } from './source-map';

export async function toJavaScript(
  source: string,
  language: 'js' | 'ts',
  filename: string,
): Promise<{ code: string; mapPosition?: PositionMapper }> {
  if (language === 'js') return { code: source };
  let transform: typeof EsbuildTransform;
  try {
    ({ transform } = await import('esbuild'));
  } catch {
    throw new MacroError(
      'TypeScript macros need esbuild, which this installation lacks: write the macro in JavaScript',
    );
  }
  try {
    const r = await transform(source, {
      loader: 'ts',
      format: 'esm',
      target: 'es2022',
      sourcefile: filename,
      sourcemap: 'external',
    });
    const map = JSON.parse(r.map) as { mappings: string };
    return { code: r.code, mapPosition: positionMapper(map.mappings) };
  } catch (err) {
    const first = (
      err as { errors?: { text: string; location?: { line: number; column: number } }[] }
    ).errors?.[0];
    const at = first?.location;
    throw new MacroError(
      `Macro does not compile: ${first?.text ?? (err as Error).message}${at ? ` at ${filename}:${at.line}:${at.column + 1}` : ''}`,
      at ? { line: at.line, column: at.column + 1 } : undefined,
    );
  }
}
