/**
 * Turns a zod validation failure into one readable line per problem:
 * `devices[2].options.maxPowerMw: expected number, received string`.
 * Used for config files, API messages, driver options and plan files alike.
 */
import type { z } from 'zod';
import { ValidationError } from './errors';

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(top level)' : out;
}

export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
}

/** Parses `value` with `schema` or throws a ValidationError whose message names `where` and every bad field. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = formatIssues(result.error);
  throw new ValidationError(`${where}: ${problems.join('; ')}`, { problems });
}
