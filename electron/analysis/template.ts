/**
 * Batch-script templates: `{{name}}` placeholders replaced by values describing a verified
 * dataset. In a script every value is inserted as ONE shell word, single-quoted, so a dataset
 * name or operator can never inject shell syntax (write `cat {{localPath}}/x`, not
 * `"{{localPath}}"`). Unknown placeholders are refused when the config is loaded.
 */

/** Every placeholder a template may use. */
export const PLACEHOLDERS = [
  'dataset',
  'localPath',
  'objectUri',
  'cephfsPath',
  'manifestDigest',
  'target',
  'job',
  'run.operator',
  'run.startedAt',
  'run.endedAt',
  'run.outcome',
  'run.format',
  'run.imageFile',
  'run.positions',
  'run.frames',
  'run.sizeT',
  'run.sizeC',
  'run.sizeZ',
  'run.sizeY',
  'run.sizeX',
  'run.pixelSizeUm',
  'run.channels',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Record<Placeholder, string>;

const pattern = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

export function placeholdersIn(template: string): string[] {
  return [...template.matchAll(pattern)].map((m) => m[1]!);
}

/** POSIX shell single-quoting: the result is one word whose value is exactly `s`. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * Replaces each placeholder by its value, shell-quoted when `quote` (scripts) or as is
 * (sbatch arguments such as the output folder, passed without a shell).
 */
export function renderTemplate(
  template: string,
  values: PlaceholderValues,
  quote: boolean,
): string {
  return template.replace(pattern, (_, name: string) => {
    if (!(PLACEHOLDERS as readonly string[]).includes(name))
      throw new Error(`unknown placeholder {{${name}}}`); // the config schema refuses these first
    const v = values[name as Placeholder];
    return quote ? shellQuote(v) : v;
  });
}
