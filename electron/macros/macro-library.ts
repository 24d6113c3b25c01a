/**
 * The macro library: `*.js` / `*.ts` files in the shipped examples folder (`assets/macros/`)
 * and the user's folder (`<AQUILA_HOME>/macros`). A macro's summary is its first comment
 * line. A user macro with an example's name shadows the example.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../../drivers/errors';

export const EXAMPLES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../assets/macros',
);

export interface LibraryEntry {
  name: string;
  folder: 'examples' | 'user';
  language: 'js' | 'ts';
  summary: string;
  file: string;
}

export interface LibraryDirs {
  examples: string;
  user: string;
}

const MACRO_FILE = /^([A-Za-z0-9][A-Za-z0-9._-]*)\.(js|ts)$/;

function summaryOf(source: string): string {
  const m = /^\s*(?:\/\/\s*(.+)|\/\*\*?\s*\n?\s*\*?\s*(.+))/.exec(source);
  return (m?.[1] ?? m?.[2] ?? '').trim().slice(0, 200);
}

function listFolder(dir: string, folder: LibraryEntry['folder']): LibraryEntry[] {
  if (!existsSync(dir)) return [];
  const out: LibraryEntry[] = [];
  for (const f of readdirSync(dir).sort()) {
    const m = MACRO_FILE.exec(f);
    if (!m || f.endsWith('.d.ts')) continue;
    const file = path.join(dir, f);
    out.push({
      name: m[1]!,
      folder,
      language: m[2] as 'js' | 'ts',
      summary: summaryOf(readFileSync(file, 'utf8').slice(0, 2_000)),
      file,
    });
  }
  return out;
}

export function listLibrary(dirs: LibraryDirs): LibraryEntry[] {
  const byName = new Map<string, LibraryEntry>();
  for (const e of listFolder(dirs.examples, 'examples')) byName.set(e.name, e);
  for (const e of listFolder(dirs.user, 'user')) byName.set(e.name, e);
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** A library macro by name, with its source. */
export function loadMacro(dirs: LibraryDirs, name: string): LibraryEntry & { source: string } {
  const entry = listLibrary(dirs).find((e) => e.name === name);
  if (!entry)
    throw new ValidationError(
      `No macro "${name}" in the library (${listLibrary(dirs)
        .map((e) => e.name)
        .join(', ')})`,
    );
  return { ...entry, source: readFileSync(entry.file, 'utf8') };
}
