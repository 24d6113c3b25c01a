/**
 * Tiny flag parser for the CLI: `--name value`, `--name=value`, boolean `--flag`, positionals
 * (everything after `--` is positional). Every command declares its flags; any other flag is
 * refused with a message naming it, so a typo or a flag from another tool (`--host`) never
 * passes silently.
 */
import { ValidationError } from '../../drivers/errors';

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

export interface FlagSpec {
  /** Flags that take a value. */
  values?: readonly string[];
  /** Flags that take none. */
  booleans?: readonly string[];
  /** Flags that stand alone (true) or take a value only as `--name=value`. */
  optionalValues?: readonly string[];
}

function unknownFlag(name: string, spec: FlagSpec): ValidationError {
  const known = [
    ...(spec.values ?? []),
    ...(spec.booleans ?? []),
    ...(spec.optionalValues ?? []).map((f) => `${f}[=VALUE]`),
  ].map((f) => `--${f}`);
  return new ValidationError(
    `unknown option --${name}${known.length ? ` (this command takes ${known.join(', ')})` : ' (this command takes no options)'}`,
  );
}

export function parseArgs(argv: readonly string[], spec: FlagSpec = {}): ParsedArgs {
  const values = spec.values ?? [];
  const booleans = spec.booleans ?? [];
  const optionalValues = spec.optionalValues ?? [];
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq > 0 ? eq : undefined);
    if (optionalValues.includes(name)) {
      flags.set(name, eq > 0 ? a.slice(eq + 1) : true);
    } else if (booleans.includes(name)) {
      if (eq > 0) throw new ValidationError(`--${name} takes no value`);
      flags.set(name, true);
    } else if (!values.includes(name)) {
      throw unknownFlag(name, spec);
    } else if (eq > 0) {
      flags.set(name, a.slice(eq + 1));
    } else {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--'))
        throw new ValidationError(`--${name} needs a value`);
      flags.set(name, v);
      i++;
    }
  }
  return { positionals, flags };
}

export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flagInt(args: ParsedArgs, name: string, fallback: number, max?: number): number {
  const v = flagString(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || (max !== undefined && n > max))
    throw new ValidationError(
      `--${name} must be an integer from 0${max !== undefined ? ` to ${max}` : ' up'}, got "${v}"`,
    );
  return n;
}
