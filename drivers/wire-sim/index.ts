/**
 * Wire simulator registry: name (as in `npm run sim:wire -- <name>` and a driver's
 * `port: "sim:<name>"`) → factory. Each simulator acts on the host's SimWorld so the
 * simulated camera sees what the simulated hardware really did.
 */
import { CoboltSim, coboltSimParams } from '../lasers/cobolt/cobolt-sim';
import { ObisSim, obisSimParams } from '../lasers/obis/obis-sim';
import type { WireSimEntry } from './wire-sim-types';
import { asiWireSimulators } from '../stages/asi/asi-wire-sims';
import { priorWireSimulators } from '../stages/prior/prior-wire-sims';

export type { WireSimContext, WireSimEntry } from './wire-sim-types';

export const wireSimulators: Record<string, WireSimEntry> = {
  // Stages (asi-ms2000, asi-tiger, prior-proscan) and lasers (obis, cobolt) register here.
  ...asiWireSimulators,
  ...priorWireSimulators,
  obis: {
    description: 'Coherent OBIS 488 nm LX 100 mW (CDRH delay 5 s, autostart on at power-up)',
    create: ({ world, deviceId, params }) => new ObisSim(world, deviceId, obisSimParams(params)),
  },
  cobolt: {
    description: 'Cobolt 06-01 488 nm 60 mW, classic command set (autostart on at power-up)',
    create: ({ world, deviceId, params }) =>
      new CoboltSim(world, deviceId, coboltSimParams(params)),
  },
};

export function wireSimulatorNames(): string[] {
  return Object.keys(wireSimulators).sort();
}
