/**
 * A plan file of either kind Aquila runs: a useq-schema MDASequence (`run.start`, `aquila
 * acquire`) or a FLImP-style automation plan (`"kind": "flimp"`, `automation.start`,
 * `aquila automate`; electron/automation/flimp/plan-schema.ts). Both are saved as JSON side
 * by side; the `kind` field tells them apart (useq sequences have none).
 */
import { ValidationError } from '../../drivers/errors';
import { parseFlimpPlan, type FlimpPlan } from '../automation/flimp/plan-schema';
import { parsePlan, readPlanText } from './load';
import type { MdaSequence } from './types';

export type PlanFile =
  | { kind: 'mda'; sequence: MdaSequence; json: Record<string, unknown> }
  | { kind: 'flimp'; plan: FlimpPlan; json: Record<string, unknown> };

export function parsePlanFile(text: string, where = 'plan'): PlanFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ValidationError(`${where} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ValidationError(`${where}: expected a JSON object (an MDA sequence or a FLImP plan)`);
  const obj = json as Record<string, unknown>;
  if (obj.kind === 'flimp') return { kind: 'flimp', plan: parseFlimpPlan(obj, where), json: obj };
  if (obj.kind !== undefined)
    throw new ValidationError(
      `${where}: unknown plan kind ${JSON.stringify(obj.kind)} (known: "flimp", or none for a useq MDA sequence)`,
    );
  return { kind: 'mda', sequence: parsePlan(text, where), json: obj };
}

export async function loadPlanFile(file: string): Promise<PlanFile> {
  const { abs, text } = await readPlanText(file);
  return parsePlanFile(text, `plan ${abs}`);
}
