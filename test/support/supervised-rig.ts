/**
 * Serial hardware on pty wire simulators (OBIS and Cobolt lasers, an ASI MS-2000 stage)
 * and a config naming their ports, for the safety supervisor tests and `bench:safety`.
 * `startHost()` runs test/fixtures/supervised-host.ts as a real process.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CoboltSim } from '../../drivers/lasers/cobolt/cobolt-sim';
import { ObisSim } from '../../drivers/lasers/obis/obis-sim';
import { SimWorld } from '../../drivers/sim/world';
import { AsiWireSim } from '../../drivers/stages/asi/asi-wire-sim';
import { runWireSim, type RunningWireSim } from '../../drivers/wire-sim/run-sim';
import { repoRoot } from './serve-process';
import { tempDir } from './temp-dir';
import { until } from './wait';

/** The emission-off / halt lines each simulator must receive. */
export const OFF_LINE = { obis: /^SOUR(CE)?:AM:STAT(E)? OFF$/i, cobolt: /^l0$/, asi: /^\\$/ };

export interface SupervisedRig {
  world: SimWorld;
  sims: {
    obis: RunningWireSim<ObisSim>;
    cobolt: RunningWireSim<CoboltSim>;
    asi: RunningWireSim<AsiWireSim>;
  };
  configPath: string;
  /** AQUILA_HOME of the hosts started here (supervisor reports go to `safety/`). */
  home: string;
  /** performance.now() of the first line matching `re` that `sim` received after `t0`, or null. */
  firstAfter(sim: keyof SupervisedRig['sims'], re: RegExp, t0: number): number | null;
  /** `ownGroup`: the host leads a process group of its own (to signal the whole group). */
  startHost(mode?: 'move', ownGroup?: boolean): Promise<HostProcess>;
  stop(): Promise<void>;
}

export interface HostProcess {
  child: ChildProcess;
  supervisorPid: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function isAlive(pid: number): boolean {
  try {
    // A zombie (exited, not yet reaped) counts as gone.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** `root` and all its descendants (from `ps`), parents first. */
export function processTree(root: number): number[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const tree = [root];
  for (let i = 0; i < tree.length; i++)
    for (const [pid, ppid] of rows) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

export async function supervisedRig(lasersOnly = false): Promise<SupervisedRig> {
  const world = new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 10 });
  const sims = {
    obis: await runWireSim(new ObisSim(world, 'obis', { cdrhDelayMs: 0 })),
    cobolt: await runWireSim(new CoboltSim(world, 'cobolt')),
    asi: await runWireSim(new AsiWireSim(world, { variant: 'ms2000' })),
  };
  const dir = tempDir('aquila-supervised-');
  const configPath = path.join(dir, 'config.json');
  const home = path.join(dir, 'home');
  writeFileSync(
    configPath,
    JSON.stringify({
      name: 'supervised serial rig',
      devices: [
        { id: 'obis', kind: 'laser', driver: 'obis', options: { port: sims.obis.devicePath } },
        {
          id: 'cobolt',
          kind: 'laser',
          driver: 'cobolt',
          options: { port: sims.cobolt.devicePath },
        },
        ...(lasersOnly
          ? []
          : [
              {
                id: 'stage',
                kind: 'xy-stage',
                driver: 'asi-ms2000',
                options: { port: sims.asi.devicePath },
              },
            ]),
      ],
      limits: {
        xUm: { min: -50_000, max: 50_000 },
        yUm: { min: -50_000, max: 50_000 },
        zUm: { min: -1, max: 1 },
      },
      storage: { datasetsRoot: path.join(dir, 'data') },
    }),
  );
  return {
    world,
    sims,
    configPath,
    home,
    firstAfter(sim, re, t0) {
      const hit = sims[sim].sim.received.find((r) => r.atMs >= t0 && re.test(r.line.trim()));
      return hit ? hit.atMs : null;
    },
    startHost: (mode, ownGroup) => startSupervisedHost(configPath, home, mode, ownGroup),
    async stop() {
      for (const s of Object.values(sims)) await s.stop();
    },
  };
}

async function startSupervisedHost(
  configPath: string,
  home: string,
  mode?: 'move',
  ownGroup = false,
): Promise<HostProcess> {
  const args = ['--import', 'tsx', path.join(repoRoot, 'test/fixtures/supervised-host.ts')];
  const child = spawn(process.execPath, [...args, configPath, ...(mode ? [mode] : [])], {
    cwd: repoRoot,
    env: { ...process.env, AQUILA_HOME: home, AQUILA_LOG: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: ownGroup,
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  await until('the supervised host to be ready', () => gone || /^ready /m.test(out), 30_000);
  const ready = /^ready (.*)$/m.exec(out);
  if (!ready) throw new Error(`host exited before ready:\n${out}`);
  const { supervisorPid } = JSON.parse(ready[1]!) as { supervisorPid: number | null };
  if (!supervisorPid) throw new Error(`host started no supervisor:\n${out}`);
  return { child, supervisorPid, output: () => out, exited };
}
