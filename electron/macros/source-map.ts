/**
 * Maps a position in transpiled macro code back to the TypeScript source, from esbuild's
 * source map (v3: base64 VLQ `mappings`, one `;`-separated group per generated line).
 * Lines and columns are 1-based in and out, as QuickJS reports them.
 */
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes one segment's VLQ fields (relative values). */
function decodeSegment(seg: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of seg) {
    const digit = B64.indexOf(ch);
    if (digit < 0) throw new Error(`source map: bad character ${JSON.stringify(ch)}`);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/** Per generated line: [generated column, source line, source column] (0-based), ascending. */
export function decodeMappings(mappings: string): [number, number, number][][] {
  const lines: [number, number, number][][] = [];
  let srcLine = 0;
  let srcCol = 0;
  for (const group of mappings.split(';')) {
    const line: [number, number, number][] = [];
    let genCol = 0;
    for (const seg of group.split(',')) {
      if (!seg) continue;
      const f = decodeSegment(seg);
      genCol += f[0] ?? 0;
      if (f.length >= 4) {
        srcLine += f[2]!;
        srcCol += f[3]!;
        line.push([genCol, srcLine, srcCol]);
      }
    }
    lines.push(line);
  }
  return lines;
}

export type PositionMapper = (line: number, column: number) => { line: number; column: number };

/** The mapper for one source map; positions it cannot place are returned unchanged. */
export function positionMapper(mappings: string): PositionMapper {
  const lines = decodeMappings(mappings);
  return (line, column) => {
    const segs = lines[line - 1];
    if (!segs?.length) return { line, column };
    let best = segs[0]!;
    for (const s of segs) if (s[0] <= column - 1) best = s;
    return { line: best[1] + 1, column: best[2] + 1 + Math.max(0, column - 1 - best[0]) };
  };
}
