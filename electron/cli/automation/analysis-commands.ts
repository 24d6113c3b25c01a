/**
 * `aquila autofocus` and `aquila rois`: one software autofocus, or one ROI search, on a
 * headless host (after optional --x/--y, --z moves and a --channel preset). The result is
 * JSON on stdout (autofocus: one object with the curve; rois: one ROI per line, pixels and
 * stage µm); errors on stderr. Exit 0 on success, 1 when the command failed.
 */
import { ValidationError } from '../../../drivers/errors';
import { flagString, parseArgs, type ParsedArgs } from '../args';
import type { CliCommand } from '../types';
import { applyPlacementFlags, callOrReport, withHeadlessHost } from './headless-host';

const PLACE = '[--config CFG] [--x UM --y UM] [--z UM] [--channel PRESET]';
/** The flags of PLACE and the headless host (`--out` for its datasets folder). */
const PLACE_FLAGS = ['config', 'out', 'x', 'y', 'z', 'channel'];

function numberFlag(args: ParsedArgs, name: string): number | undefined {
  const v = flagString(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new ValidationError(`--${name} must be a number, got "${v}"`);
  return n;
}

function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export const autofocusCommand: CliCommand = {
  name: 'autofocus',
  usage: `aquila autofocus ${PLACE} [--range UM] [--tolerance UM] [--measure NAME]`,
  summary:
    'Software autofocus around the current (or --z) position; prints the result with its focus curve as JSON. Exit 1 when no focus is found.',
  async run(argv, io) {
    const args = parseArgs(argv, { values: [...PLACE_FLAGS, 'range', 'tolerance', 'measure'] });
    const params = defined({
      rangeUm: numberFlag(args, 'range'),
      toleranceUm: numberFlag(args, 'tolerance'),
      measure: flagString(args, 'measure'),
    });
    return withHeadlessHost(args, io, async (host) => {
      if (!(await applyPlacementFlags(host, io, 'autofocus', args))) return 1;
      const r = await callOrReport(host, io, 'autofocus', 'autofocus.run', params);
      if (r === null) return 1;
      io.out(JSON.stringify(r));
      return 0;
    });
  },
};

export const roisCommand: CliCommand = {
  name: 'rois',
  usage: `aquila rois ${PLACE} [--threshold otsu|triangle|ADU] [--min-area PX] [--max-area PX] [--max-count N]`,
  summary:
    'Snap a frame and find ROIs (cells, beads); prints one JSON object per ROI (pixels and stage µm), best first.',
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: [...PLACE_FLAGS, 'threshold', 'min-area', 'max-area', 'max-count'],
    });
    const t = flagString(args, 'threshold');
    const threshold =
      t === undefined || t === 'otsu' || t === 'triangle'
        ? t
        : { value: numberFlag(args, 'threshold') };
    const params = defined({
      threshold,
      minAreaPx: numberFlag(args, 'min-area'),
      maxAreaPx: numberFlag(args, 'max-area'),
      maxCount: numberFlag(args, 'max-count'),
    });
    return withHeadlessHost(args, io, async (host) => {
      if (!(await applyPlacementFlags(host, io, 'rois', args))) return 1;
      const r = (await callOrReport(host, io, 'rois', 'rois.find', params)) as {
        rois: unknown[];
      } | null;
      if (r === null) return 1;
      for (const roi of r.rois) io.out(JSON.stringify(roi));
      io.err(`${r.rois.length} ROIs`);
      return 0;
    });
  },
};
