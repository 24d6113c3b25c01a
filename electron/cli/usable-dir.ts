/**
 * Checks, before a host starts, that a folder can hold datasets: it exists or can be created
 * one level at a time, is a folder, and accepts a file. A recursive mkdir is not used: on
 * some special file systems (/proc) it never returns.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../../drivers/errors';

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Creates `dir` if needed; throws a one-line ValidationError naming `label` and the folder. */
export function ensureUsableDir(dir: string, label: string): string {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let cur = abs;
  for (;;) {
    let st: fs.Stats;
    try {
      st = fs.statSync(cur);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR')
        throw new ValidationError(`${label} ${abs}: cannot inspect ${cur} (${reason(err)})`);
      missing.unshift(cur);
      const parent = path.dirname(cur);
      if (parent === cur) throw new ValidationError(`${label} ${abs}: no existing parent folder`);
      cur = parent;
      continue;
    }
    if (!st.isDirectory())
      throw new ValidationError(`${label} ${abs}: ${cur} is a file, not a folder`);
    break;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new ValidationError(`${label} ${abs}: cannot create ${d} (${reason(err)})`);
    }
  }
  const probe = path.join(abs, `.aquila-write-test-${process.pid}`);
  try {
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (err) {
    throw new ValidationError(`${label} ${abs}: cannot write there (${reason(err)})`);
  }
  return abs;
}
