/** The shared Laser contract, run against each wire driver on its simulator over a real pty. */
import { CoboltLaser } from '../../../drivers/lasers/cobolt/cobolt-laser';
import { CoboltSim } from '../../../drivers/lasers/cobolt/cobolt-sim';
import { ObisLaser } from '../../../drivers/lasers/obis/obis-laser';
import { ObisSim } from '../../../drivers/lasers/obis/obis-sim';
import { SimWorld } from '../../../drivers/sim/world';
import { runWireSim } from '../../../drivers/wire-sim/run-sim';
import { laserContract } from '../contract/laser.contract';

const newWorld = () => new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 1_000 });
const quiet = () => undefined;

laserContract('OBIS wire driver (CDRH delay on, 30 ms)', async () => {
  const world = newWorld();
  const running = await runWireSim(new ObisSim(world, 'l488', { cdrhDelayMs: 30 }));
  const device = new ObisLaser(
    'l488',
    { port: running.devicePath },
    { simWorld: () => world, log: quiet },
  );
  return { device, cleanup: () => running.stop() };
});

laserContract('OBIS wire driver via port "sim:obis"', async () => {
  const world = newWorld();
  const device = new ObisLaser(
    'l640',
    { port: 'sim:obis', cdrhDelay: 'off' },
    { simWorld: () => world, log: quiet },
  );
  return { device, cleanup: async () => undefined };
});

laserContract('Cobolt wire driver (echoing unit)', async () => {
  const world = newWorld();
  const running = await runWireSim(new CoboltSim(world, 'l561', { echo: true }));
  const device = new CoboltLaser(
    'l561',
    { port: running.devicePath },
    { simWorld: () => world, log: quiet },
  );
  return { device, cleanup: () => running.stop() };
});
