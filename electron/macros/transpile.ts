/** TypeScript macros → JavaScript (types stripped by esbuild; line numbers kept where esbuild keeps them). */
import { transform } from 'esbuild';
import { MacroError } from './macro-error';

export async function toJavaScript(source: string, language: 'js' | 'ts', filename: string) {
  if (language === 'js') return source;
  try {
    const r = await transform(source, {
      loader: 'ts',
      format: 'esm',
      target: 'es2022',
      sourcefile: filename,
    });
    return r.code;
  } catch (err) {
    const first = (err as { errors?: { text: string; location?: { line: number; column: number } }[] })
      .errors?.[0];
    const at = first?.location;
    throw new MacroError(
      `Macro does not compile: ${first?.text ?? (err as Error).message}${at ? ` at ${filename}:${at.line}:${at.column + 1}` : ''}`,
      at ? { line: at.line, column: at.column + 1 } : undefined,
    );
  }
}
