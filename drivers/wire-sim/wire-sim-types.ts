/**
 * The wire simulator registry's entry shape, shared by the registry (index.ts) and the
 * per-vendor simulator lists it collects; they import it from here, never from index.ts.
 */
import type { SimWorld } from '../sim/world';
import type { WireSimulator } from './sim-base';

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
