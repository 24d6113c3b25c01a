/** Parsing of untrusted request text (the request target, percent-escapes) without ever throwing. */

/**
 * The path and query of an origin-form request target (`/a/b?c`), or null when it is
 * anything else (`*`, absolute-form, empty) or does not parse. `//` stays a path: it is
 * never read as a protocol-relative URL naming a host.
 */
export function requestPath(target: string | undefined): URL | null {
  if (!target?.startsWith('/')) return null;
  try {
    return new URL(`http://localhost${target}`);
  } catch {
    return null;
  }
}

/** `decodeURIComponent`, or null when `text` holds a malformed escape (`%`, `%E0`). */
export function decodeOrNull(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
