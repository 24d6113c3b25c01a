/**
 * `aquila automate PLAN.json [--config CFG] [--out DIR] [--name NAME] [--resume[=RUN_DIR]]`
 * — an unattended FLImP-style run, headless. Progress on stderr, the run folder and report
 * on stdout. `--resume` continues the run folder DIR/NAME (or RUN_DIR) from its journal
 * without imaging finished ROIs again (PLAN may then be omitted). Exit 0 when the run
 * finished, 1 when it failed or was cancelled, 2 on bad arguments.
 */
import path from 'node:path';
import { ValidationError } from '../../../drivers/errors';
import type { AutomationView } from '../../api/contract';
import { loadPlanFile } from '../../plans/plan-file';
import { flagString, parseArgs } from '../args';
import type { CliCommand, CliIo } from '../types';
import { callOrReport, withHeadlessHost } from './headless-host';

async function readPlan(file: string): Promise<Record<string, unknown>> {
  const f = await loadPlanFile(file);
  if (f.kind !== 'flimp')
    throw new ValidationError(`${file} is a useq MDA sequence: run it with "aquila acquire"`);
  return f.json;
}

/** One stderr line per change worth telling: tile, ROI outcome, phase. */
function progressReporter(io: CliIo): (v: AutomationView) => void {
  let phase = '';
  let tile = -1;
  const told = new Set<number>();
  return (v) => {
    if (v.tileIndex !== tile && (v.phase === 'scanning' || v.phase === 'imaging')) {
      tile = v.tileIndex;
      io.err(`tile ${tile + 1}/${v.tileTotal}`);
    }
    for (const r of v.rois) {
      if ((r.state === 'imaged' || r.state === 'skipped') && !told.has(r.id)) {
        told.add(r.id);
        io.err(
          `ROI ${r.id} ${r.state}${r.state === 'imaged' ? ` (${r.frames} frames)` : `: ${r.reason ?? ''}`}` +
            ` — ${v.imaged} imaged, ${v.skipped} skipped, ${v.found} found${v.etaS !== null ? `, ETA ${Math.ceil(v.etaS)} s` : ''}`,
        );
      }
    }
    if (v.phase !== phase) {
      phase = v.phase;
      io.err(`automation ${phase}`);
    }
  };
}

export const automateCommand: CliCommand = {
  name: 'automate',
  usage: 'aquila automate PLAN.json [--config CFG] [--out DIR] [--name NAME] [--resume[=RUN_DIR]]',
  summary:
    'Run a FLImP-style automation plan headless (tiles → ROIs → time series until bleached); --resume continues a killed run from its journal. Exit 0 finished, 1 failed or cancelled.',
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['config', 'out', 'name'], optionalValues: ['resume'] });
    const [planFile] = args.positionals;
    const resumeFlag = args.flags.get('resume');
    const name = flagString(args, 'name');
    let resume: string | undefined;
    if (typeof resumeFlag === 'string') resume = path.resolve(resumeFlag);
    else if (resumeFlag === true) {
      if (!name)
        throw new ValidationError('automate --resume needs --name NAME or --resume=RUN_DIR');
      resume = name;
    }
    if (!planFile && !resume)
      throw new ValidationError('automate needs a plan file (FLImP plan JSON)');
    const plan = resume ? undefined : await readPlan(planFile!);
    return withHeadlessHost(args, io, async (host) => {
      const started = (await callOrReport(host, io, 'automate', 'automation.start', {
        ...(plan ? { plan } : {}),
        ...(resume ? { resume } : name ? { name } : {}),
      })) as { dir: string; tiles: number; resumed: boolean } | null;
      if (!started) return 2;
      io.out(
        `${started.resumed ? 'Resuming' : 'Running'} ${started.tiles} tiles into ${started.dir}`,
      );
      const report = progressReporter(io);
      const unsubscribe = host.store.subscribe(() => {
        const v = host.store.state.automation;
        if (v) report(v);
      });
      await host.automation.whenIdle();
      unsubscribe();
      const v = host.store.state.automation!;
      report(v);
      if (v.failure) io.err(`automation failed: ${v.failure.message}`);
      io.out(
        `Automation ${v.phase}: ${v.imaged} ROIs imaged, ${v.skipped} skipped of ${v.found} found → ${v.dir}`,
      );
      if (v.report) io.out(`Report: ${v.report}`);
      return v.phase === 'finished' ? 0 : 1;
    });
  },
};
