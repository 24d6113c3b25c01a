/**
 * Editor completion for `aquila.…`: the entries come from the host (`macro.typings`,
 * generated from the API contract). Given the text before the cursor, the dotted path being
 * typed and the entries that continue it, one level at a time (`aquila.st` → `stage`,
 * `state`; `aquila.stage.` → `moveTo`, `moveBy`, …).
 */
export interface MacroCompletion {
  label: string;
  detail: string;
  info: string;
}

export interface CompletionOption {
  label: string;
  type: 'namespace' | 'function' | 'property';
  detail?: string;
  info?: string;
}

/** `from`: offset (in `before`) where the completed word starts. */
export function completeAquila(
  before: string,
  entries: readonly MacroCompletion[],
): { from: number; options: CompletionOption[] } | null {
  const m = /(?:^|[^\w$.])(aquila(?:\.[\w$]*)*)$/.exec(before);
  if (!m) return null;
  const path = m[1]!;
  const lastDot = path.lastIndexOf('.');
  if (lastDot < 0) return null;
  const parent = path.slice(0, lastDot + 1);
  const partial = path.slice(lastDot + 1);
  const seen = new Map<string, CompletionOption>();
  for (const e of entries) {
    if (!e.label.startsWith(parent)) continue;
    const rest = e.label.slice(parent.length);
    if (!rest.startsWith(partial)) continue;
    const dot = rest.indexOf('.');
    if (dot >= 0) {
      const ns = rest.slice(0, dot);
      if (!seen.has(ns)) seen.set(ns, { label: ns, type: 'namespace' });
    } else {
      seen.set(rest, {
        label: rest,
        type: e.detail.startsWith('(') ? 'function' : 'property',
        detail: e.detail,
        info: e.info,
      });
    }
  }
  if (seen.size === 0) return null;
  return {
    from: before.length - partial.length,
    options: [...seen.values()].sort((a, b) => a.label.localeCompare(b.label)),
  };
}

/** `k=v` lines (or `k=v, k2=v2`) → macro params; numbers and booleans typed as the CLI does. */
export function parseParams(text: string): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const part of text.split(/[\n,]/)) {
    const t = part.trim();
    if (!t) continue;
    const eq = t.indexOf('=');
    if (eq < 1) throw new Error(`parameter "${t}": write KEY=VALUE`);
    const raw = t.slice(eq + 1).trim();
    out[t.slice(0, eq).trim()] =
      raw === 'true'
        ? true
        : raw === 'false'
          ? false
          : raw !== '' && Number.isFinite(Number(raw))
            ? Number(raw)
            : raw;
  }
  return out;
}
