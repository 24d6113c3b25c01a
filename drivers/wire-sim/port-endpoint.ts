/**
 * A driver's `port` option: a device path (`/dev/ttyUSB0`, `COM3`) or `sim:<name>`, which
 * starts that wire simulator on the host's SimWorld behind a socat pty and hands the
 * driver the pty's path. `release()` kills socat. Drivers call `acquire()` in connect()
 * and `release()` in disconnect().
 */
import { ValidationError } from '../errors';
import type { SimWorld } from '../sim/world';
import { wireSimulatorNames, wireSimulators } from './index';
import { runWireSim, type RunningWireSim } from './run-sim';

const simPrefix = 'sim:';

export function isSimPort(port: string): boolean {
  return port.startsWith(simPrefix);
}

export class PortEndpoint {
  private running: RunningWireSim | undefined;
  private readonly simName: string | undefined;

  constructor(
    readonly port: string,
    private readonly deviceId: string,
    private readonly simWorld: () => SimWorld,
    /** Passed to the simulator factory (see WireSimContext.params). */
    private readonly simParams: Record<string, unknown> = {},
  ) {
    if (isSimPort(port)) {
      const name = port.slice(simPrefix.length);
      if (!wireSimulators[name]) {
        throw new ValidationError(
          `device "${deviceId}" options.port: unknown wire simulator "${name}" (known: ${wireSimulatorNames().join(', ') || 'none'})`,
        );
      }
      this.simName = name;
    }
  }

  /** The wire simulator started for a `sim:` port, while running (tests use its log and faults). */
  get simulator(): RunningWireSim | undefined {
    return this.running;
  }

  /** Returns the path to open, starting the simulator first for a `sim:` port. */
  async acquire(): Promise<string> {
    if (!this.simName) return this.port;
    if (!this.running) {
      const entry = wireSimulators[this.simName];
      if (!entry) throw new ValidationError(`unknown wire simulator "${this.simName}"`);
      const sim = entry.create({
        world: this.simWorld(),
        deviceId: this.deviceId,
        params: this.simParams,
      });
      this.running = await runWireSim(sim);
    }
    return this.running.devicePath;
  }

  /** Stops a simulator started by acquire(); nothing for a real port. */
  async release(): Promise<void> {
    const r = this.running;
    this.running = undefined;
    await r?.stop();
  }
}
