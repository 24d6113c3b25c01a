import { readFile } from 'node:fs/promises';
import { ValidationError } from '../../drivers/errors';
import { loadConfig } from '../config/load';
import { expandHome } from '../host/acquisition-service';
import { installProcessGuards } from '../host/process-guards';
import { createSupervisedHost } from '../safety/supervisor/supervised-host';
import { flagString, parseArgs } from './args';
import type { CliCommand } from './types';
import { ensureUsableDir } from './usable-dir';

export const acquireCommand: CliCommand = {
  name: 'acquire',
  usage:
    'aquila acquire PLAN.json [--config CFG] [--out DIR] [--name NAME] [--format ome-zarr-0.4|ome-zarr-0.5|ome-tiff]',
  summary:
    'Run a useq-schema plan headless: prints progress, exits 0 when the run finished, 1 if it failed or was cancelled.',
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['config', 'out', 'name', 'format'] });
    const [planFile, extra] = args.positionals;
    if (!planFile)
      throw new ValidationError('acquire needs a plan file (useq-schema MDASequence JSON)');
    if (extra !== undefined)
      throw new ValidationError(`unexpected argument "${extra}": acquire takes one plan file`);
    let plan: unknown;
    try {
      plan = JSON.parse(await readFile(planFile, 'utf8'));
    } catch (err) {
      throw new ValidationError(`Cannot read plan ${planFile}: ${(err as Error).message}`);
    }
    if (typeof plan !== 'object' || plan === null || Array.isArray(plan))
      throw new ValidationError(`Plan ${planFile}: expected a JSON object (an MDASequence)`);
    const loaded = await loadConfig(flagString(args, 'config'));
    const out = flagString(args, 'out');
    loaded.config.storage.datasetsRoot = ensureUsableDir(
      out ?? expandHome(loaded.config.storage.datasetsRoot),
      out ? '--out' : `${loaded.path}: storage.datasetsRoot`,
    );
    const host = await createSupervisedHost(loaded);
    installProcessGuards(host, { exitWithParent: true });
    try {
      const format = flagString(args, 'format');
      const outcome = await host.call(
        'run.start',
        { plan, name: flagString(args, 'name'), format },
        { clientId: 'cli', transport: 'cli' },
      );
      if (!outcome.ok) {
        io.err(`aquila acquire: ${outcome.error.code}: ${outcome.error.message}`);
        return 2;
      }
      const { dir, eventTotal } = outcome.value as { dir: string; eventTotal: number };
      io.out(`Acquiring ${eventTotal} events into ${dir}`);
      let lastLine = '';
      const unsubscribe = host.store.subscribe(() => {
        const r = host.store.state.run;
        if (!r) return;
        const line = `${r.state} ${r.eventIndex}/${r.eventTotal} events, ${r.framesWritten} frames${r.etaS !== null ? `, ETA ${Math.ceil(r.etaS)} s` : ''}`;
        if (line !== lastLine && (r.eventIndex % 10 === 0 || r.state !== 'running')) io.out(line);
        lastLine = line;
      });
      await host.acquisition.whenIdle();
      unsubscribe();
      const r = host.store.state.run!;
      for (const e of r.errors) io.err(`event ${e.eventIndex} skipped: ${e.message}`);
      if (r.failure) io.err(`run failed: ${r.failure.message}`);
      io.out(`Run ${r.state}: ${r.framesWritten} frames, ${r.framesDropped} dropped → ${r.dir}`);
      return r.state === 'finished' ? 0 : 1;
    } finally {
      await host.shutdown('acquire finished');
    }
  },
};
