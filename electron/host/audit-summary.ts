/**
 * The argument summary kept in the audit trail: enough to say what was asked, never a secret
 * and never a large payload. Values under a secret-looking key become "[redacted]"; long
 * strings are cut; arrays beyond a few items and objects beyond a few levels are replaced by
 * a count; the whole summary stays under SUMMARY_MAX_CHARS of JSON.
 */

const SECRET_KEY = /token|secret|password|passwd|credential|authori[sz]ation|cookie|key$/i;
const MAX_STRING = 120;
const MAX_ITEMS = 8;
const MAX_KEYS = 24;
const MAX_DEPTH = 3;
export const SUMMARY_MAX_CHARS = 2_000;

export function summarizeArgs(args: unknown): unknown {
  const out = summarize(args, 0);
  const text = JSON.stringify(out) ?? '';
  return text.length <= SUMMARY_MAX_CHARS ? out : `[${text.length} characters elided]`;
}

function summarize(v: unknown, depth: number): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'number') return v;
  if (typeof v === 'string')
    return v.length <= MAX_STRING ? v : `${v.slice(0, MAX_STRING)}…[${v.length} chars]`;
  if (Array.isArray(v)) {
    if (depth >= MAX_DEPTH || v.length > MAX_ITEMS) return `[${v.length} items]`;
    return v.map((x) => summarize(x, depth + 1));
  }
  if (typeof v === 'object') {
    const keys = Object.keys(v);
    if (depth >= MAX_DEPTH || keys.length > MAX_KEYS) return `{${keys.length} keys}`;
    const out: Record<string, unknown> = {};
    for (const k of keys)
      out[k] = SECRET_KEY.test(k)
        ? '[redacted]'
        : summarize((v as Record<string, unknown>)[k], depth + 1);
    return out;
  }
  return v === undefined ? null : `[${typeof v}]`;
}
