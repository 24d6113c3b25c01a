/**
 * `npm run serve` as a service manager or a closing terminal stops it: SIGTERM to the npm
 * process must reach the host (lasers off at the wire, clean shutdown) and every process
 * of the tree (npm, host, safety supervisor) must exit. A host whose parent dies without
 * passing a signal on (the old `npm → sh → node` chain, sh killed) shuts down by itself.
 * Lasers are OBIS and Cobolt wire simulators on ptys.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/serve-process';
import {
  OFF_LINE,
  isAlive,
  processTree,
  supervisedRig,
  type SupervisedRig,
} from '../../support/supervised-rig';
import { until } from '../../support/wait';

const TOKEN = 'serve-signals-test-token-0123456789';
let rig: SupervisedRig;
let tree: number[] = [];

beforeEach(async () => {
  rig = await supervisedRig(true);
});

afterEach(async () => {
  for (const pid of tree.filter(isAlive)) process.kill(pid, 'SIGKILL');
  tree = [];
  await rig.stop();
});

/** Starts `command args…` (which runs `aquila serve`), waits for its ready line. */
async function startServe(command: string, args: string[]) {
  const child: ChildProcess = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, AQUILA_TOKEN: TOKEN, AQUILA_HOME: rig.home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await until(
    'serve to be ready',
    () => /Aquila ready at/.test(out) || child.exitCode !== null,
    60_000,
  );
  const url = /Aquila ready at (\S+)/.exec(out)?.[1];
  if (!url) throw new Error(`serve did not start:\n${out}`);
  tree = processTree(child.pid!);
  // Lines on by hand need auto-shutter off (issue #18).
  const auto = await fetch(new URL('/api/commands/shutter.setAuto', url), {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ enabled: false }),
  });
  expect(auto.status, await auto.text()).toBe(200);
  for (const laserId of ['obis', 'cobolt']) {
    const res = await fetch(new URL('/api/commands/laser.setEmission', url), {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ laserId, on: true }),
    });
    expect(res.status, await res.text()).toBe(200);
  }
  expect(rig.sims.obis.sim.line.emission).toBe(true);
  expect(rig.sims.cobolt.sim.line.emission).toBe(true);
  return { child, output: () => out };
}

async function expectLasersOffAndTreeGone(t0: number, output: () => string): Promise<void> {
  await until('every process of the tree to exit', () => !tree.some(isAlive), 15_000);
  for (const sim of ['obis', 'cobolt'] as const)
    expect(rig.firstAfter(sim, OFF_LINE[sim], t0), `${sim} off on the wire`).not.toBeNull();
  expect(rig.sims.obis.sim.line.emission).toBe(false);
  expect(rig.sims.cobolt.sim.line.emission).toBe(false);
  // The host shut down cleanly itself: the supervisor had nothing to do.
  expect(output()).not.toMatch(/aquila-supervisor/);
}

describe('serve stopped from outside', () => {
  it('SIGTERM to `npm run serve` reaches the host: lasers off, npm, host and supervisor exit', async () => {
    const serve = await startServe('npm', [
      'run',
      '-s',
      'serve',
      '--',
      '--config',
      rig.configPath,
      '--port',
      '0',
    ]);
    // No shell between npm and the host: npm's signal goes straight to it.
    const npmChildren = execFileSync('ps', ['-o', 'args=', '--ppid', String(serve.child.pid)], {
      encoding: 'utf8',
    });
    expect(npmChildren.trim()).toMatch(/^\S*node bin\/aquila\.mjs serve/);
    expect(tree.length).toBeGreaterThanOrEqual(3); // npm, host, supervisor (+ tsx's esbuild)
    const t0 = performance.now();
    serve.child.kill('SIGTERM');
    await expectLasersOffAndTreeGone(t0, serve.output);
    expect(serve.output()).toMatch(/All lasers off \(shutdown: signal SIGTERM\)/);
  }, 90_000);

  it('the parent dies without passing a signal on: the host notices and shuts down', async () => {
    // dash keeps itself between a `-c` command and its child, as npm's shell used to.
    const serve = await startServe('sh', [
      '-c',
      `"${process.execPath}" bin/aquila.mjs serve --config "${rig.configPath}" --port 0; true`,
    ]);
    const t0 = performance.now();
    serve.child.kill('SIGKILL');
    await expectLasersOffAndTreeGone(t0, serve.output);
    expect(serve.output()).toMatch(/Parent process \d+ ended; shutting down/);
  }, 90_000);
});
