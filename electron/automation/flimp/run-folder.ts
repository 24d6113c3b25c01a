/**
 * The run folder of a FLImP run: `<datasetsRoot>/<name>/` with `plan.json` (the plan as
 * given) and the journal. A new run needs a folder that does not exist; a resumed run takes
 * its name, plan and progress from the folder's journal.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StateError, ValidationError } from '../../../drivers/errors';
import { journalState, readJournal, type JournalState } from './journal';
import { parseFlimpPlan, type FlimpPlan } from './plan-schema';

export const PLAN_FILE = 'plan.json';

export interface RunFolder {
  name: string;
  runDir: string;
  plan: FlimpPlan;
  planJson: unknown;
  resume: JournalState | null;
}

function timestamp(d = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

/** Creates a new run folder (writing plan.json) or opens one to resume (`resume`: a folder, relative to `root`). */
export async function prepareRunFolder(
  root: string,
  p: { plan?: unknown; name?: string | undefined; resume?: string | undefined },
): Promise<RunFolder> {
  if (p.resume !== undefined) {
    if (p.plan !== undefined)
      throw new ValidationError(
        'automation.start: give a plan or resume, not both (the run folder has its plan)',
      );
    const runDir = path.resolve(root, p.resume);
    if (path.dirname(runDir) !== path.resolve(root))
      throw new ValidationError(
        `automation.start: resume "${p.resume}" is not a run folder inside the datasets folder ${root}`,
      );
    const resume = journalState(await readJournal(runDir));
    const plan = parseFlimpPlan(resume.plan, `plan of ${runDir}`);
    return { name: resume.name, runDir, plan, planJson: resume.plan, resume };
  }
  const plan = parseFlimpPlan(p.plan, 'automation.start plan');
  const name = p.name ?? `${plan.name}-${timestamp()}`;
  const runDir = path.join(root, name);
  if (existsSync(runDir))
    throw new StateError(`automation.start: ${runDir} exists; resume it or choose another name`);
  await mkdir(runDir, { recursive: true });
  await writeFile(path.join(runDir, PLAN_FILE), JSON.stringify(p.plan, null, 2) + '\n');
  return { name, runDir, plan, planJson: p.plan, resume: null };
}
