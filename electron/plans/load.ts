/** Reading a plan file: JSON → validated MDASequence, or a ValidationError naming each bad field. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ValidationError } from '../../drivers/errors';
import { formatIssues } from '../../drivers/validation';
import { mdaSequenceSchema } from './sequence-schema';
import type { MdaSequence } from './types';

export function parsePlan(text: string, where = 'plan'): MdaSequence {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ValidationError(`${where} is not valid JSON: ${(err as Error).message}`);
  }
  const r = mdaSequenceSchema.safeParse(json);
  if (!r.success) {
    const problems = formatIssues(r.error);
    throw new ValidationError(`${where} is not a valid MDA sequence:\n  ${problems.join('\n  ')}`, {
      problems,
    });
  }
  return r.data;
}

/** Reads a plan file as text; a missing or unreadable file is an E_INVALID naming it. */
export async function readPlanText(file: string): Promise<{ abs: string; text: string }> {
  const abs = path.resolve(file);
  try {
    return { abs, text: await readFile(abs, 'utf8') };
  } catch (err) {
    throw new ValidationError(
      `cannot read plan ${abs}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

export async function loadPlan(file: string): Promise<MdaSequence> {
  const { abs, text } = await readPlanText(file);
  return parsePlan(text, `plan ${abs}`);
}
