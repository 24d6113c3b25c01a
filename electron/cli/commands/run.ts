/**
 * `aquila run MACRO [--config CFG] [--out DIR] [--dry-run] [--param k=v …]` — a macro
 * (library name or a .js/.ts file) headless. Its console lines go to stdout as they come;
 * a dry run (simulated microscope, simulated time) then prints its report. Exit 0 when the
 * macro finished (a dry run: and no call was refused), 1 when it failed or was aborted (the
 * error with its macro line:column on stderr), 2 on bad arguments.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { ValidationError } from '../../../drivers/errors';
import type { DryRunReport, MacroView } from '../../api/contract';
import { loadConfig } from '../../config/load';
import { createHost, type Host } from '../../host/host';
import { installProcessGuards } from '../../host/process-guards';
import { MacroRecorder, simulatedTwin } from '../../macros/dry-run';
import { parseArgs } from '../args';
import { CLI_CTX, withHeadlessHost } from '../automation/headless-host';
import type { CliCommand, CliIo } from '../types';

type ParamValue = string | number | boolean;

/** `--param k=v` may repeat; values that read as numbers or booleans become those. */
export function takeParams(argv: readonly string[]): {
  rest: string[];
  params: Record<string, ParamValue>;
} {
  const rest: string[] = [];
  const params: Record<string, ParamValue> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    let kv: string | undefined;
    if (a === '--param') kv = argv[++i];
    else if (a.startsWith('--param=')) kv = a.slice('--param='.length);
    else {
      rest.push(a);
      continue;
    }
    const eq = kv?.indexOf('=') ?? -1;
    if (kv === undefined || eq < 1) throw new ValidationError('--param needs KEY=VALUE');
    const key = kv.slice(0, eq);
    const raw = kv.slice(eq + 1);
    params[key] =
      raw === 'true'
        ? true
        : raw === 'false'
          ? false
          : raw !== '' && Number.isFinite(Number(raw))
            ? Number(raw)
            : raw;
  }
  return { rest, params };
}

function macroSource(spec: string): Record<string, string> {
  const m = /\.(js|ts)$/.exec(spec);
  if (!m || !existsSync(spec)) return { name: spec };
  return { source: readFileSync(spec, 'utf8'), language: m[1]!, label: path.basename(spec) };
}

/** Prints console lines as they arrive; resolves with the macro's end state. */
async function follow(host: Host, id: string, io: CliIo): Promise<MacroView> {
  let printed = 0;
  const print = () => {
    const v = host.store.state.macros?.find((m) => m.id === id);
    if (!v) return;
    const total = v.consoleDropped + v.console.length;
    for (let n = Math.max(printed, v.consoleDropped); n < total; n++) {
      const line = v.console[n - v.consoleDropped]!;
      if (line.level === 'info') io.out(line.text);
      else if (!(line.level === 'error' && v.error?.message === line.text))
        io.out(`${line.level}: ${line.text}`);
    }
    printed = total;
  };
  const unsubscribe = host.store.subscribe(print);
  const end = await host.macros.whenDone(id);
  unsubscribe();
  print();
  return end;
}

export function printReport(r: DryRunReport, io: CliIo): void {
  io.out(
    `Dry run: ${r.durationS.toFixed(1)} s, ${r.frames} frames, ${(r.bytes / 1e6).toFixed(1)} MB`,
  );
  io.out(
    `Stage travel ${(r.stageTravelUm / 1000).toFixed(3)} mm, focus travel ${r.focusTravelUm.toFixed(1)} µm`,
  );
  const doses = Object.entries(r.laserDoseMj);
  const during = (id: string) => (r.exposureDoseMj[id] ?? 0).toFixed(3);
  io.out(
    `Laser dose: ${doses.length ? doses.map(([id, mj]) => `${id} ${mj.toFixed(3)} mJ (${during(id)} mJ while exposing)`).join(', ') : 'none'}`,
  );
  io.out(`Refused calls: ${r.refusals.length}`);
  for (const f of r.refusals) io.out(`  ${f.command}: ${f.code}: ${f.message}`);
}

async function runOn(host: Host, start: Record<string, unknown>, io: CliIo): Promise<number> {
  const r = await host.call('macro.start', start, CLI_CTX);
  if (!r.ok) {
    io.err(`aquila run: ${r.error.code}: ${r.error.message}`);
    return 2;
  }
  const end = await follow(host, (r.value as { id: string }).id, io);
  if (end.error) io.err(`aquila run: ${end.error.message}`);
  return end.phase === 'finished' ? 0 : 1;
}

/** A host on the simulated twin of the config, datasets in a temp folder removed afterwards. */
async function dryRun(configFlag: string | undefined, start: Record<string, unknown>, io: CliIo) {
  const loaded = await loadConfig(configFlag);
  const config = simulatedTwin(loaded.config);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'aquila-dry-run-'));
  config.storage.datasetsRoot = scratch;
  const recorder = new MacroRecorder(true);
  const host = await createHost(
    { ...loaded, config },
    {
      log: { log: (level, m) => level !== 'debug' && level !== 'info' && io.err(`${level}: ${m}`) },
      dataDir: scratch,
      ...recorder.hostOptions(),
    },
  );
  const uninstall = installProcessGuards(host);
  try {
    recorder.attach(host);
    const code = await runOn(host, start, io);
    recorder.finish();
    if (code === 2) return code;
    const report = recorder.report();
    printReport(report, io);
    // The real run would fail at the first refusal.
    return code === 0 && report.refusals.length > 0 ? 1 : code;
  } finally {
    await host.shutdown('dry run finished');
    uninstall();
    rmSync(scratch, { recursive: true, force: true });
  }
}

export const command: CliCommand = {
  name: 'run',
  usage: 'aquila run MACRO [--config CFG] [--out DIR] [--dry-run] [--param KEY=VALUE …]',
  summary:
    'Run a macro (library name or .js/.ts file) headless, console on stdout; --dry-run: on the simulated microscope with simulated time, then a report (duration, frames, data, travel, laser dose, refused calls). Exit 0 finished, 1 failed or aborted.',
  async run(argv, io) {
    const { rest, params } = takeParams(argv);
    const args = parseArgs(rest, { values: ['config', 'out'], booleans: ['dry-run'] });
    const [spec, extra] = args.positionals;
    if (!spec) throw new ValidationError('run needs a macro: a library name or a .js/.ts file');
    if (extra !== undefined)
      throw new ValidationError(`unexpected argument "${extra}": run takes one macro`);
    const start = { ...macroSource(spec), params };
    if (args.flags.has('dry-run'))
      return dryRun(args.flags.get('config') as string | undefined, start, io);
    return withHeadlessHost(args, io, (host) => runOn(host, start, io));
  },
};
