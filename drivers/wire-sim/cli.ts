/**
 * `npm run sim:wire -- <name> [--id <deviceId>] [--link <path>]`: starts a wire simulator
 * behind a socat pty and prints the device path to put in a config's `port`. Runs until
 * Ctrl-C. The simulator acts on its own SimWorld (no camera attached).
 * Faults by signal, to try the host's safety by hand: SIGUSR1 power-cycles the device (the
 * port vanishes and returns in the power-up state), SIGUSR2 toggles garbage answers.
 */
import { SimWorld } from '../sim/world';
import { wireSimulatorNames, wireSimulators } from './index';
import { runWireSim } from './run-sim';

function usage(): string {
  return `usage: npm run sim:wire -- <name> [--id <deviceId>] [--link <path>] [--wavelength-nm N] [--max-power-mw N]\nsimulators: ${wireSimulatorNames().join(', ')}`;
}

async function main(argv: string[]): Promise<number> {
  const name = argv[0];
  if (!name || name.startsWith('-')) {
    console.error(usage());
    return 2;
  }
  const entry = wireSimulators[name];
  if (!entry) {
    console.error(`unknown wire simulator "${name}"\n${usage()}`);
    return 2;
  }
  const flag = (f: string) => {
    const i = argv.indexOf(f);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const deviceId = flag('--id') ?? name;
  const params: Record<string, unknown> = {};
  for (const [f, key] of [
    ['--wavelength-nm', 'wavelengthNm'],
    ['--max-power-mw', 'maxPowerMw'],
  ] as const) {
    const v = flag(f);
    if (v !== undefined) params[key] = Number(v);
  }
  const link = flag('--link');
  const world = new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 2_000 });
  const sim = entry.create({ world, deviceId, params });
  const running = await runWireSim(sim, link ? { devicePath: link } : {});
  let garbage = false;
  process.on('SIGUSR1', () => {
    garbage = false; // a power cycle clears faults
    void running.powerCycle().then(() => console.log(`${name}: power-cycled`));
  });
  process.on('SIGUSR2', () => {
    garbage = !garbage;
    if (garbage) sim.injectFault({ kind: 'garbage' }, Infinity);
    else sim.clearFaults();
    console.log(`${name}: garbage answers ${garbage ? 'on' : 'off'}`);
  });
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  // Printed once the signals are handled: a script that signals after reading the port
  // must not hit a signal's default action (the process would end at once).
  console.log(`${name} (${entry.description}) is listening.`);
  console.log(`port: ${running.devicePath}`);
  console.log('Press Ctrl-C to stop; SIGUSR1 power-cycles it, SIGUSR2 toggles garbage answers.');
  await stopped;
  await running.stop();
  console.log(`${name}: stopped; ${sim.received.length} commands received.`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
