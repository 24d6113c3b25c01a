/**
 * What the driver registry and the drivers share: the device spec a factory receives, the
 * host services it may use, and the registry entry shape. Drivers import these from here,
 * never from registry.ts (which imports the drivers), so dependencies run one way.
 */
import type { AnyDevice, DeviceKind } from './devices';
import type { SimWorld } from './sim/world';

export interface DeviceSpecLike {
  id: string;
  kind: DeviceKind;
  driver: string;
  options: Record<string, unknown>;
}

export interface DriverContext {
  /** The host's one simulated world (created on first use). */
  simWorld(): SimWorld;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
}

export interface DriverEntry {
  /** Device kinds this driver can be. */
  kinds: readonly DeviceKind[];
  description: string;
  create(spec: DeviceSpecLike, ctx: DriverContext): AnyDevice;
}
