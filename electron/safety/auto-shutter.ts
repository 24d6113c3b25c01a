/**
 * Auto-shutter: light only while the camera exposes. A channel arms its line (selected for
 * the next exposure, emission off); a snap or a run frame switches the armed line on before
 * the exposure starts and off after the read-out; live switches it on before the first
 * exposure and every line off when live stops. All switching goes through the safety
 * layer, so the e-stop latch wins: a latched layer refuses the switch-on, and the off after
 * an exposure is always sent. Software-timed; a driver with a hardware trigger output would
 * plug in at `expose` (none has one yet).
 *
 * With auto-shutter off (a warning is logged), lines switch only when told (laser.setEmission,
 * channel.apply); `expose` then leaves the light as it is.
 */
import type { Logger } from '../host/logger';
import type { SafetyLayer } from './safety-layer';

export interface ShutterView {
  autoShutter: boolean;
  /** Lines selected for the next exposure. */
  armed: string[];
}

export class AutoShutter {
  private enabled = true;
  private armedLines: string[] = [];
  /** Live is running with auto-shutter: armed lines emit until live stops. */
  private liveLit = false;

  constructor(
    private readonly safety: SafetyLayer,
    private readonly log: Logger,
    private readonly publish: (view: ShutterView) => void,
  ) {
    this.publishView();
  }

  get auto(): boolean {
    return this.enabled;
  }

  /**
   * Turning auto-shutter on switches every line off (light returns only with an exposure);
   * turning it off leaves the lines as they are and is logged as a warning.
   */
  async setAuto(enabled: boolean, by: string): Promise<void> {
    if (enabled === this.enabled) return;
    this.enabled = enabled;
    this.publishView();
    if (enabled) {
      this.log.log('info', `Auto-shutter on (${by}): light only while the camera exposes`);
      await this.safety.allLasersOff('auto-shutter on');
    } else {
      this.log.log(
        'warn',
        `Auto-shutter OFF (${by}): lasers switched on by hand stay on while the camera is idle`,
      );
    }
  }

  /**
   * Selects `laserId` as the line for the next exposures (checked as a switch-on would be).
   * During live with auto-shutter the new line emits at once and the others go off.
   */
  async arm(laserId: string): Promise<void> {
    this.safety.assertLaserAllowed(laserId, { on: true });
    const previous = this.armedLines;
    this.armedLines = [laserId];
    this.publishView();
    if (!this.liveLit) return;
    for (const id of previous) if (id !== laserId) await this.safety.setLaserEmission(id, false);
    await this.safety.setLaserEmission(laserId, true);
  }

  /** Forgets the selected lines (e-stop): nothing is armed until a channel is applied again. */
  disarm(): void {
    this.armedLines = [];
    this.publishView();
  }

  /** Runs one exposure (snap) with the armed lines on from before it until after its read-out. */
  async expose<T>(acquire: () => Promise<T>): Promise<T> {
    if (!this.enabled || this.liveLit) return acquire();
    const lines = [...this.armedLines];
    try {
      for (const id of lines) await this.safety.setLaserEmission(id, true);
      return await acquire();
    } finally {
      await this.off(lines, 'after an exposure');
    }
  }

  /** Before live starts: the armed lines on (auto-shutter only). */
  async liveStarting(): Promise<void> {
    if (!this.enabled) return;
    this.liveLit = true;
    for (const id of this.armedLines) await this.safety.setLaserEmission(id, true);
  }

  /** After live stopped (or failed to start): every line off, whatever the mode. */
  async liveStopped(reason: string): Promise<void> {
    this.liveLit = false;
    await this.safety.allLasersOff(reason);
  }

  /** Lines off after an exposure; a failed off escalates to every line off (reported). */
  private async off(lines: string[], what: string): Promise<void> {
    try {
      for (const id of lines) await this.safety.setLaserEmission(id, false);
    } catch (err) {
      this.log.log('error', `Auto-shutter: off ${what} failed: ${(err as Error).message}`);
      await this.safety.allLasersOff(`auto-shutter off failed ${what}`);
    }
  }

  private publishView(): void {
    this.publish({ autoShutter: this.enabled, armed: [...this.armedLines] });
  }
}
