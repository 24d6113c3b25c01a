/**
 * Builds wire-driver stage devices on a fresh SimWorld and DriverContext, either on a
 * `sim:<name>` port (the driver starts the simulator) or on a simulator the test runs
 * itself behind a pty (to reach its command log and inject faults).
 */
import type { AnyDevice, DeviceKind, XYStage, ZDrive } from '../../../drivers/devices';
import { driverRegistry, type DriverContext } from '../../../drivers/registry';
import { SimWorld } from '../../../drivers/sim/world';
import { runWireSim, type RunningWireSim } from '../../../drivers/wire-sim/run-sim';
import type { WireSimulator } from '../../../drivers/wire-sim/sim-base';

export function newWorld(): SimWorld {
  return new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 2_000 });
}

export function newContext(world: SimWorld = newWorld()): DriverContext & { logs: string[] } {
  const logs: string[] = [];
  return { logs, simWorld: () => world, log: (level, m) => void logs.push(`${level} ${m}`) };
}

export function createStageDevice(
  driver: string,
  kind: DeviceKind,
  options: Record<string, unknown>,
  ctx: DriverContext,
): AnyDevice {
  const entry = driverRegistry[driver];
  if (!entry) throw new Error(`driver ${driver} is not registered`);
  return entry.create({ id: kind === 'xy-stage' ? 'stage' : 'focus', kind, driver, options }, ctx);
}

export interface WireRig<S extends WireSimulator> {
  world: SimWorld;
  ctx: DriverContext & { logs: string[] };
  running: RunningWireSim<S>;
  stage: XYStage;
  focus: ZDrive;
  /** Disconnects both devices and stops the simulator. */
  cleanup(): Promise<void>;
}

/** Runs `makeSim(world)` behind a pty and creates the XY and Z devices on it. */
export async function wireRig<S extends WireSimulator>(
  driver: string,
  makeSim: (world: SimWorld) => S,
  options: Record<string, unknown> = {},
): Promise<WireRig<S>> {
  const world = newWorld();
  const ctx = newContext(world);
  const running = await runWireSim(makeSim(world));
  const opts = { port: running.devicePath, ...options };
  const stage = createStageDevice(driver, 'xy-stage', opts, ctx) as XYStage;
  const focus = createStageDevice(driver, 'z-drive', opts, ctx) as ZDrive;
  return {
    world,
    ctx,
    running,
    stage,
    focus,
    cleanup: async () => {
      await stage.disconnect().catch(() => undefined);
      await focus.disconnect().catch(() => undefined);
      await running.stop();
    },
  };
}
