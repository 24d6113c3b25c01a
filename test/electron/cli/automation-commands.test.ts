/** `aquila rois` and `aquila autofocus` in process, on a small simulated microscope. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/main';
import { STILL, truthOf } from '../../support/automation-rig';
import { smallSimConfig } from '../../support/host-fixture';
import { tempDir } from '../../support/temp-dir';

function setup() {
  const dir = tempDir('aquila-cli-auto-');
  const config = smallSimConfig({
    storage: { datasetsRoot: path.join(dir, 'data') },
    sim: STILL,
  });
  const file = path.join(dir, 'scope.json');
  writeFileSync(file, JSON.stringify(config));
  const truth = truthOf(config);
  const cell = truth.cellsIn({ xUm: -400, yUm: -400, widthUm: 800, heightUm: 800 })[0]!;
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  return { file, cell, truth, out, err, io };
}

describe('aquila rois / autofocus', () => {
  it('rois prints one JSON object per ROI with pixel and stage coordinates', async () => {
    const s = setup();
    const code = await runCli(
      ['rois', '--config', s.file, '--x', String(s.cell.xUm), '--y', String(s.cell.yUm)].concat([
        '--channel',
        'GFP',
        '--min-area',
        '150',
      ]),
      s.io,
    );
    expect(code, s.err.join('\n')).toBe(0);
    const rois = s.out.map((l) => JSON.parse(l) as { xUm: number; yUm: number; xPx: number });
    expect(rois.length).toBeGreaterThan(0);
    expect(
      rois.some((r) => Math.hypot(r.xUm - s.cell.xUm, r.yUm - s.cell.yUm) < s.cell.radiusUm),
    ).toBe(true);
    expect(s.err).toContain(`${rois.length} ROIs`);
  });

  it('autofocus prints the result with its curve; a refused move exits 1 with the reason', async () => {
    const s = setup();
    const code = await runCli(
      [
        'autofocus',
        '--config',
        s.file,
        '--x',
        String(s.cell.xUm),
        '--y',
        String(s.cell.yUm),
      ].concat(['--z', '5', '--channel', 'GFP', '--range', '12']),
      s.io,
    );
    expect(code, s.err.join('\n')).toBe(0);
    const r = JSON.parse(s.out[0]!) as { zUm: number; startZUm: number; curve: unknown[] };
    expect(r.startZUm).toBeCloseTo(5, 3);
    expect(Math.abs(r.zUm - s.truth.focusZUm(s.cell.xUm, s.cell.yUm))).toBeLessThan(2);
    expect(r.curve.length).toBeGreaterThanOrEqual(5);
    const bad = setup();
    expect(await runCli(['autofocus', '--config', bad.file, '--z', '500'], bad.io)).toBe(1);
    expect(bad.err.join('\n')).toMatch(/aquila autofocus: E_LIMIT: .*500/);
    expect(await runCli(['autofocus', '--range', 'far'], bad.io)).toBe(2);
    expect(bad.err.at(-1)).toMatch(/--range must be a number, got "far"/);
  });
});
