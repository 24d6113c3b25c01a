/**
 * TypeScript macros → JavaScript (types stripped by esbuild; line numbers kept where esbuild
 * keeps them). esbuild is loaded only for a TypeScript macro: an installation without it
 * (a packaged app ships only runtime dependencies) still runs JavaScript macros.
 */
import type { transform as EsbuildTransform } from 'esbuild';
import { MacroError } from './macro-error';

export async function toJavaScript(source: string, language: 'js' | 'ts', filename: string) {
  if (language === 'js') return source;
  let transform: typeof EsbuildTransform;
  try {
    ({ transform } = await import('esbuild'));
  } catch {
    throw new MacroError(
      'TypeScript macros need esbuild, which is not installed: write the macro in JavaScript',
    );
  }
  try {
    const r = await transform(source, {
      loader: 'ts',
      format: 'esm',
      target: 'es2022',
      sourcefile: filename,
    });
    return r.code;
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
