/**
 * The one layer every caller (UI, remote, macro, automation, CLI) passes through to reach
 * motion and light. It enforces the stage envelope, the e-stop latch and the laser
 * shut-off paths (e-stop, quit, crash, loss of the controlling client). Raw devices are
 * never handed out past this layer.
 */
import type { Camera, Laser, XYPositionUm, XYStage, ZDrive } from '../../drivers/devices';
import { EstopLatchedError, LimitError, StateError, ValidationError } from '../../drivers/errors';
import type { Logger } from '../host/logger';
import { Envelope, type EnvelopeLimits } from './envelope';
import { withTimeout } from './with-timeout';

export interface SafetyDevices {
  stage: XYStage | undefined;
  focus: ZDrive | undefined;
  lasers: ReadonlyMap<string, Laser>;
  camera: Camera | undefined;
}

export interface LaserOffReport {
  lasersOff: string[];
  failures: { laserId: string; message: string }[];
}

/** Emission-off must reach every laser quickly even if one driver hangs. */
const LASER_OFF_TIMEOUT_MS = 1_000;
const STOP_TIMEOUT_MS = 1_000;

export class SafetyLayer {
  readonly envelope: Envelope;
  private latchedReason: string | null = null;
  private readonly latchListeners = new Set<(reason: string | null) => void>();

  constructor(
    limits: EnvelopeLimits,
    private readonly devices: SafetyDevices,
    private readonly log: Logger,
  ) {
    this.envelope = new Envelope(limits);
  }

  get estopLatched(): boolean {
    return this.latchedReason !== null;
  }

  onLatchChange(listener: (reason: string | null) => void): () => void {
    this.latchListeners.add(listener);
    return () => this.latchListeners.delete(listener);
  }

  private assertClear(): void {
    if (this.latchedReason !== null) throw new EstopLatchedError();
  }

  private requireStage(): XYStage {
    if (!this.devices.stage) throw new StateError('No XY stage is configured');
    return this.devices.stage;
  }

  private requireFocus(): ZDrive {
    if (!this.devices.focus) throw new StateError('No focus (Z) drive is configured');
    return this.devices.focus;
  }

  private requireLaser(laserId: string): Laser {
    const laser = this.devices.lasers.get(laserId);
    if (!laser) {
      throw new ValidationError(
        `Unknown laser "${laserId}" (configured: ${[...this.devices.lasers.keys()].join(', ') || 'none'})`,
      );
    }
    return laser;
  }

  async moveStageTo(target: XYPositionUm): Promise<XYPositionUm> {
    this.assertClear();
    this.envelope.assertXY(target, 'Stage move');
    return this.requireStage().moveToUm(target);
  }

  async moveStageBy(dxUm: number, dyUm: number): Promise<XYPositionUm> {
    this.assertClear();
    const stage = this.requireStage();
    const here = await stage.getPositionUm();
    const target = { xUm: here.xUm + dxUm, yUm: here.yUm + dyUm };
    this.envelope.assertXY(target, 'Stage jog');
    return stage.moveToUm(target);
  }

  async moveFocusTo(zUm: number): Promise<number> {
    this.assertClear();
    this.envelope.assertZ(zUm, 'Focus move');
    return this.requireFocus().moveToUm(zUm);
  }

  async moveFocusBy(dzUm: number): Promise<number> {
    this.assertClear();
    const focus = this.requireFocus();
    const target = (await focus.getPositionUm()) + dzUm;
    this.envelope.assertZ(target, 'Focus jog');
    return focus.moveToUm(target);
  }

  async stopStage(): Promise<void> {
    await this.requireStage().stop();
  }

  async stopFocus(): Promise<void> {
    await this.requireFocus().stop();
  }

  async setLaserEmission(laserId: string, on: boolean): Promise<void> {
    const laser = this.requireLaser(laserId);
    if (on) this.assertClear();
    await laser.setEmission(on);
  }

  async setLaserPower(laserId: string, powerMw: number): Promise<void> {
    const laser = this.requireLaser(laserId);
    if (!(powerMw >= 0 && powerMw <= laser.maxPowerMw)) {
      throw new LimitError(`Laser ${laserId}: ${powerMw} mW is outside 0..${laser.maxPowerMw} mW`, {
        laserId,
        powerMw,
        maxPowerMw: laser.maxPowerMw,
      });
    }
    await laser.setPowerMw(powerMw);
  }

  /** Emission off on every laser at once; each attempt is bounded so one hung driver cannot block the others. */
  async allLasersOff(reason: string): Promise<LaserOffReport> {
    const entries = [...this.devices.lasers.entries()];
    const results = await Promise.allSettled(
      entries.map(([id, laser]) =>
        withTimeout(laser.setEmission(false), LASER_OFF_TIMEOUT_MS, `Laser ${id} emission off`),
      ),
    );
    const report: LaserOffReport = { lasersOff: [], failures: [] };
    results.forEach((r, i) => {
      const id = entries[i]![0];
      if (r.status === 'fulfilled') report.lasersOff.push(id);
      else report.failures.push({ laserId: id, message: (r.reason as Error).message });
    });
    const failed = report.failures.map((f) => `${f.laserId} (${f.message})`).join(', ');
    this.log.log(
      failed ? 'error' : 'info',
      `All lasers off (${reason})${failed ? `; FAILED: ${failed}` : ''}`,
    );
    return report;
  }

  /** Halts all motion, switches every laser off and latches until reset(). */
  async estop(reason: string): Promise<LaserOffReport> {
    this.latch(reason);
    const stops: Promise<unknown>[] = [];
    if (this.devices.stage)
      stops.push(withTimeout(this.devices.stage.stop(), STOP_TIMEOUT_MS, 'Stage stop'));
    if (this.devices.focus)
      stops.push(withTimeout(this.devices.focus.stop(), STOP_TIMEOUT_MS, 'Focus stop'));
    const [report, stopResults] = await Promise.all([
      this.allLasersOff(`e-stop: ${reason}`),
      Promise.allSettled(stops),
    ]);
    for (const r of stopResults)
      if (r.status === 'rejected') this.log.log('error', `E-stop: ${(r.reason as Error).message}`);
    return report;
  }

  reset(): void {
    if (this.latchedReason === null) return;
    this.log.log('info', 'E-stop reset');
    this.latchedReason = null;
    for (const l of this.latchListeners) l(null);
  }

  private latch(reason: string): void {
    this.latchedReason = reason;
    for (const l of this.latchListeners) l(reason);
  }
}
