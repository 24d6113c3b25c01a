/**
 * Plans checked before Start, through the API: plan.estimate lists each problem at its
 * field; run.start refuses a plan with errors up front (nothing moves, no dataset); a run
 * that fails says why in words.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { command as planCommand } from '../../../electron/cli/commands/plan';
import {
  smallSimConfig,
  startTestHost,
  TestClient,
  type HostFixture,
} from '../../support/host-fixture';
import { tempDir } from '../../support/temp-dir';

let fx: HostFixture;
let client: TestClient;
let root: string;
const outOfLimits = { channels: ['GFP', 'FITC'], z_plan: { range: 1000, step: 100 } };

beforeEach(async () => {
  root = tempDir('aquila-plan-checks-');
  fx = await startTestHost(smallSimConfig({ storage: { datasetsRoot: root } }));
  client = await TestClient.connect(fx);
});

afterEach(async () => {
  client.close();
  await fx.close();
});

it('plan.estimate names each problem; run.start refuses the plan with the list in details', async () => {
  const est = await client.call('plan.estimate', { plan: outOfLimits });
  expect(est).toMatchObject({ ok: true, value: { frames: 22 } });
  const problems = (est as { value: { problems: { path: string; message: string }[] } }).value
    .problems;
  expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
    'channels[1].config: "FITC" is not a channel preset of this config (have: GFP)',
    'z_plan.range: z -500 µm is below the lower limit of -50 µm (10 events outside)',
    'z_plan.range: z 500 µm is above the upper limit of 50 µm (protects the objective) (10 events outside)',
  ]);

  const zBefore = fx.host.store.state.focus?.zUm;
  const refused = await client.call('run.start', { plan: outOfLimits, name: 'never' });
  expect(refused).toMatchObject({
    ok: false,
    error: {
      code: 'E_INVALID',
      message: expect.stringContaining('z_plan.range: z 500 µm is above the upper limit of 50 µm'),
      details: {
        problems: expect.arrayContaining([expect.objectContaining({ path: 'z_plan.range' })]),
      },
    },
  });
  expect(fx.host.store.state.run).toBeNull();
  expect(readdirSync(root)).toEqual([]);
  expect(fx.host.store.state.focus?.zUm).toBe(zBefore);
});

it('a run that fails shows its reason in words, not "[object Object] (E_INTERNAL)"', async () => {
  const plan = { channels: ['GFP'], time_plan: { interval: 0.2, loops: 50 } };
  expect(await client.call('run.start', { plan, name: 'stopped' })).toMatchObject({ ok: true });
  await new Promise((r) => setTimeout(r, 300));
  await client.call('estop');
  await fx.host.acquisition.whenIdle();
  const run = fx.host.store.state.run!;
  expect(run.state).toBe('failed');
  expect(run.failure?.message).not.toMatch(/object Object/);
  expect(run.failure?.code).not.toBe('E_INTERNAL');
  expect(run.failure?.message).toMatch(/e-stop/i);
});

it('aquila plan estimate --config prints the problems and exits 1', async () => {
  const dir = tempDir('aquila-plan-cli-');
  const cfg = path.join(dir, 'config.json');
  const planFile = path.join(dir, 'plan.json');
  writeFileSync(cfg, JSON.stringify(smallSimConfig({ storage: { datasetsRoot: dir } })));
  writeFileSync(planFile, JSON.stringify(outOfLimits));
  const out: string[] = [];
  const code = await planCommand.run(['estimate', planFile, '--config', cfg], {
    out: (l) => out.push(l),
    err: () => undefined,
  });
  expect(code).toBe(1);
  expect(out.join('\n')).toContain(
    'problems:\n  channels[1].config: "FITC" is not a channel preset of this config (have: GFP)',
  );
});
