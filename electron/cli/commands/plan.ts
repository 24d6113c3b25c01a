/**
 * `aquila plan events FILE [--config CFG]` — the plan's expanded events, one useq-style
 * JSON object per line. Without --config: pure useq semantics (grid FOV from the plan or
 * useq's 1 µm fallback, channel names unchecked); with it: channel names must be presets
 * and the camera's FOV fills unset grid FOVs, as a run would.
 *
 * `aquila plan estimate FILE [--config CFG] [--json]` — frames, data volume and duration
 * (model in electron/plans/estimate.ts), against CFG or the default simulated config, and
 * every problem with its plan field (electron/plans/check.ts); exit status 1 when a problem
 * would stop the run.
 */
import { ValidationError } from '../../../drivers/errors';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../../config/load';
import { eventToJson } from '../../plans/events';
import { checkPlan, formatProblems } from '../../plans/check';
import { estimatePlan } from '../../plans/estimate';
import { expandSequence } from '../../plans/expand';
import { loadPlan } from '../../plans/load';
import { bindPlan } from '../../plans/resolve';
import { flagString, parseArgs } from '../args';
import type { CliCommand, CliIo } from '../types';

const USAGE = 'aquila plan events|estimate FILE [--config CFG] [--json]';

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(2)} ${units[u]}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds * 10) / 10;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = (s % 60).toFixed(1);
  return h > 0 ? `${h} h ${m} min ${rest} s` : m > 0 ? `${m} min ${rest} s` : `${rest} s`;
}

async function events(file: string, configPath: string | undefined, io: CliIo): Promise<number> {
  const seq = await loadPlan(file);
  const fovUm = configPath ? bindPlan(seq, (await loadConfig(configPath)).config).fovUm : null;
  for (const e of expandSequence(seq, { fovUm })) io.out(eventToJson(e));
  return 0;
}

async function estimate(file: string, configPath: string | undefined, json: boolean, io: CliIo) {
  const seq = await loadPlan(file);
  const { config, path } = await loadConfig(configPath ?? DEFAULT_CONFIG_PATH);
  const { events: expanded, binding, problems } = checkPlan(seq, config);
  const est = estimatePlan(expanded, binding);
  const status = problems.some((p) => p.severity === 'error') ? 1 : 0;
  if (json) {
    io.out(JSON.stringify({ config: path, ...est, problems }));
    return status;
  }
  io.out(`frames:   ${est.frames} (${est.events} events, ${est.autofocusEvents} autofocus)`);
  io.out(
    `data:     ${formatBytes(est.bytes)} (${est.bytes} bytes: ${est.widthPx}×${est.heightPx} px, 2 bytes/px)`,
  );
  io.out(
    `duration: ${formatDuration(est.durationS)} (exposure ${formatDuration(est.exposureS)}, ` +
      `read-out ${formatDuration(est.overheadS)}, travel ${formatDuration(est.travelS)}, ` +
      `waiting ${formatDuration(est.waitS)})`,
  );
  io.out(`config:   ${path}`);
  const lines = formatProblems(problems);
  if (lines.length) io.out(`problems:\n  ${lines.join('\n  ')}`);
  return status;
}

export const command: CliCommand = {
  name: 'plan',
  usage: USAGE,
  summary:
    'Expand a useq-schema MDA plan into events (one JSON per line) or estimate its duration, frames and data volume.',
  async run(args, io) {
    const parsed = parseArgs(args, { values: ['config'], booleans: ['json'] });
    const [sub, file, ...extra] = parsed.positionals;
    if ((sub !== 'events' && sub !== 'estimate') || !file || extra.length > 0)
      throw new ValidationError(`usage: ${USAGE}`);
    const configPath = flagString(parsed, 'config');
    if (sub === 'events') return events(file, configPath, io);
    return estimate(file, configPath, parsed.flags.get('json') === true, io);
  },
};
