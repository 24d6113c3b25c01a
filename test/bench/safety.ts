/**
 * `npm run bench:safety` — how long after a host's SIGKILL the safety supervisor puts the
 * laser-off command on the wire (OBIS and Cobolt on pty wire simulators, an ASI stage
 * moving), over N kills (BENCH_KILLS, default 10). Goal: ≤ 200 ms (issue #10). Baseline,
 * measured in the same run: this process opening a laser's pty and writing the same off
 * command (the floor any supervisor pays for one port).
 */
import path from 'node:path';
import { SerialPort } from 'serialport';
import { takeReports } from '../../electron/safety/supervisor/report';
import { removeTempDirs } from '../support/temp-dir';
import { OFF_LINE, isAlive, supervisedRig } from '../support/supervised-rig';
import { until } from '../support/wait';

const KILLS = Number(process.env.BENCH_KILLS ?? 10);
const GOAL_MS = 200;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function line(name: string, xs: number[]): string {
  const med = median(xs);
  const max = Math.max(...xs);
  return `${name.padEnd(34)} median ${med.toFixed(1).padStart(6)} ms  max ${max.toFixed(1).padStart(6)} ms  ratio to goal: median ${(med / GOAL_MS).toFixed(2)}, max ${(max / GOAL_MS).toFixed(2)}`;
}

async function main(): Promise<void> {
  const rig = await supervisedRig();
  const lasersOff: number[] = [];
  const stageHalt: number[] = [];
  const baseline: number[] = [];
  /** From the supervisor noticing the death to its last off/halt write (its own report). */
  const inSupervisor: number[] = [];
  try {
    for (let i = 0; i < KILLS; i++) {
      const host = await rig.startHost('move');
      await until('the stage to move', () => rig.world.stage.isBusy(), 5_000);
      const t0 = performance.now();
      host.child.kill('SIGKILL');
      await host.exited;
      await until('the supervisor to finish', () => !isAlive(host.supervisorPid), 10_000);
      const obis = rig.firstAfter('obis', OFF_LINE.obis, t0);
      const cobolt = rig.firstAfter('cobolt', OFF_LINE.cobolt, t0);
      const asi = rig.firstAfter('asi', OFF_LINE.asi, t0);
      if (obis === null || cobolt === null || asi === null)
        throw new Error(
          `kill ${i + 1}: an off/halt command never reached the wire:\n${host.output()}`,
        );
      lasersOff.push(Math.max(obis, cobolt) - t0);
      stageHalt.push(asi - t0);
      const [report] = takeReports(path.join(rig.home, 'safety')).reports;
      inSupervisor.push(Math.max(...(report?.results ?? []).map((r) => r.sentAtMs ?? NaN)));

      // Baseline: open the OBIS pty here and write the same off command.
      const b0 = performance.now();
      const port = new SerialPort({
        path: rig.sims.obis.devicePath,
        baudRate: 115_200,
        autoOpen: false,
      });
      await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
      port.write('SOUR:AM:STAT OFF\r\n');
      await until(
        'the baseline off command',
        () => rig.firstAfter('obis', OFF_LINE.obis, b0) !== null,
        5_000,
      );
      baseline.push(rig.firstAfter('obis', OFF_LINE.obis, b0)! - b0);
      await new Promise<void>((resolve) => port.close(() => resolve()));
      process.stdout.write(
        `kill ${String(i + 1).padStart(2)}: lasers off ${lasersOff.at(-1)!.toFixed(1)} ms, stage halt ${stageHalt.at(-1)!.toFixed(1)} ms\n`,
      );
    }
  } finally {
    await rig.stop();
    removeTempDirs();
  }
  console.log(
    `\n${KILLS} SIGKILLs of a host with 2 lasers emitting and a stage moving (goal ≤ ${GOAL_MS} ms):`,
  );
  console.log(line('kill → every laser-off on the wire', lasersOff));
  console.log(line('kill → stage halt on the wire', stageHalt));
  console.log(line('  of which: open + write (supervisor)', inSupervisor));
  console.log(line('baseline: open pty + write off', baseline));
  console.log(
    `supervisor / baseline (median): ${(median(lasersOff) / median(baseline)).toFixed(1)}×; goal ${Math.max(...lasersOff) <= GOAL_MS ? 'met' : 'NOT met'} (max ${Math.max(...lasersOff).toFixed(1)} ms)`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
