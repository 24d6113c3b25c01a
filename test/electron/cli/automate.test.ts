/**
 * `aquila automate` as a real process: a run killed with SIGKILL after its journal shows a
 * finished ROI resumes with --resume and does not image finished ROIs again.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/main';
import { colony, STILL, truthOf } from '../../support/automation-rig';
import { smallSimConfig } from '../../support/host-fixture';
import { tempDir } from '../../support/temp-dir';
import { until } from '../../support/wait';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '../../../bin/aquila.mjs');
const fixture = path.join(here, '../../fixtures/plans/flimp-small.json');

interface Proc {
  exited: Promise<number | null>;
  kill(): void;
  err(): string;
}

function aquila(args: string[]): Proc {
  const p = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d: Buffer) => (err += d.toString()));
  p.stdout.on('data', () => undefined);
  return {
    exited: new Promise((r) => p.on('exit', (code) => r(code))),
    kill: () => p.kill('SIGKILL'),
    err: () => err,
  };
}

function records(runDir: string): { t: string; id?: number; outcome?: string; dataset?: string }[] {
  const file = path.join(runDir, 'journal.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
}

describe('aquila automate', () => {
  it('refuses a useq plan, a missing plan and --resume without a run', async () => {
    const err: string[] = [];
    const io = { out: () => undefined, err: (l: string) => err.push(l) };
    const mda = path.join(here, '../../fixtures/plans/timelapse-zstack.json');
    expect(await runCli(['automate', mda], io)).toBe(2);
    expect(err.pop()).toMatch(/is a useq MDA sequence: run it with "aquila acquire"/);
    expect(await runCli(['automate'], io)).toBe(2);
    expect(err.pop()).toMatch(/automate needs a plan file/);
    expect(await runCli(['automate', '--resume'], io)).toBe(2);
    expect(err.pop()).toMatch(/--resume needs --name NAME or --resume=RUN_DIR/);
  });

  it('resumes a run killed with SIGKILL without imaging finished ROIs again', async () => {
    const root = tempDir('aquila-automate-');
    const config = smallSimConfig({
      storage: { datasetsRoot: path.join(root, 'unused') },
      sim: STILL,
    });
    const cfgFile = path.join(root, 'scope.json');
    writeFileSync(cfgFile, JSON.stringify(config));
    // Centre the scan on a colony of the seeded sample (ground truth, for the test only).
    const { c } = colony(truthOf(config));
    const plan = JSON.parse(readFileSync(fixture, 'utf8'));
    plan.scan.centreUm = { xUm: c.xUm, yUm: c.yUm };
    plan.roi.stopFraction = 0.6; // ~25 frames per ROI: the kill lands inside an ROI
    plan.roi.maxFrames = 60;
    const planFile = path.join(root, 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    const out = path.join(root, 'data');
    const runDir = path.join(out, 'run1');

    const first = aquila([
      'automate',
      planFile,
      '--config',
      cfgFile,
      '--out',
      out,
      '--name',
      'run1',
    ]);
    // Kill while an ROI is being imaged (started, not ended), after one has finished.
    const inProgress = (rs: ReturnType<typeof records>) =>
      rs.filter((r) => r.t === 'roi-start' && !rs.some((e) => e.t === 'roi-end' && e.id === r.id));
    await until(
      'a finished ROI in the journal and the next one being imaged',
      () => {
        const rs = records(runDir);
        return (
          rs.some((r) => r.t === 'roi-end' && r.outcome === 'imaged') && inProgress(rs).length > 0
        );
      },
      60_000,
    );
    first.kill();
    expect(await first.exited).toBeNull();
    const before = records(runDir);
    expect(before.some((r) => r.t === 'end')).toBe(false);
    const done = new Set(
      before.filter((r) => r.t === 'roi-end' && r.outcome === 'imaged').map((r) => r.id),
    );
    expect(done.size).toBeGreaterThanOrEqual(1);
    const cut = inProgress(before).at(-1)!;

    const second = aquila([
      'automate',
      '--config',
      cfgFile,
      '--out',
      out,
      '--name',
      'run1',
      '--resume',
    ]);
    const code = await second.exited;
    expect(code, second.err()).toBe(0);
    const after = records(runDir);
    expect(after.filter((r) => r.t === 'resume')).toHaveLength(1);
    expect(after.at(-1)).toMatchObject({ t: 'end', phase: 'finished' });
    // Finished ROIs: started once, never again; every ROI ends imaged exactly once.
    for (const id of done)
      expect(after.filter((r) => r.t === 'roi-start' && r.id === id)).toHaveLength(1);
    const imaged = after.filter((r) => r.t === 'roi-end' && r.outcome === 'imaged');
    expect(new Set(imaged.map((r) => r.id)).size).toBe(imaged.length);
    // Up to maxRois (3); a borderline cell may be found in one process and not the other.
    const found = after
      .filter((r) => r.t === 'tile')
      .reduce((n, r) => n + ((r as { rois?: unknown[] }).rois?.length ?? 0), 0);
    expect(imaged).toHaveLength(Math.min(3, found));
    expect(imaged.length).toBeGreaterThanOrEqual(2);
    // The ROI cut short: its dataset was recovered as interrupted and it was imaged again.
    const cutProv = JSON.parse(readFileSync(path.join(cut.dataset!, 'provenance.json'), 'utf8'));
    // (Complete if the kill fell between its last frame's close and its roi-end record: it is
    // imaged again all the same, as the journal does not call it finished.)
    expect(['interrupted', 'complete']).toContain(cutProv.outcome);
    expect(
      after.filter((r) => r.t === 'roi-start' && r.id === cut.id).map((r) => r.dataset),
    ).toEqual([cut.dataset, `${cut.dataset}-a2`]);
    expect(imaged.some((r) => r.id === cut.id)).toBe(true);
    const report = JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ phase: 'finished', resumes: 1 });
    expect(report.counts.imaged).toBe(imaged.length);
    expect(second.err()).toMatch(/automation finished/);
  }, 120_000);
});
