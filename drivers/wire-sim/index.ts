/**
 * Wire simulator registry: name (as in `npm run sim:wire -- <name>` and a driver's
 * `port: "sim:<name>"`) → factory. Each simulator acts on the host's SimWorld so the
 * simulated camera sees what the simulated hardware really did.
 */
import { CoboltSim, coboltSimParams } from '../lasers/cobolt/cobolt-sim';
import { ObisSim, obisSimParams } from '../lasers/obis/obis-sim';
import type { SimWorld } from '../sim/world';
import type { WireSimulator } from './sim-base';
import { asiWireSimulators } from '../stages/asi/asi-wire-sims';
import { priorWireSimulators } from '../stages/prior/prior-wire-sims';

export interface WireSimContext {
  world: SimWorld;
  /** The config device id the simulator stands in for (lasers key `world.lasers` by it). */
  deviceId: string;
  /**
   * Device-describing options from the driver's config entry (lasers: `wavelengthNm`,
   * `maxPowerMw`) so `sim:` hardware matches the config; each simulator picks what it knows.
   */
  params?: Record<string, unknown>;
}

export interface WireSimEntry {
  description: string;
  create(ctx: WireSimContext): WireSimulator;
}

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
