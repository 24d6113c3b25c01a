/**
 * The one layer every caller (UI, remote, macro, automation, CLI) passes through to reach
 * motion and light. It enforces the stage envelope, the e-stop latch, position trust after
 * a reconnect and the laser shut-off paths (e-stop, quit, crash, loss of the controlling
 * client). Raw devices are never handed out past this layer.
 *
 * Contracts:
 * - A refused command puts nothing on the wire: every check runs before the first device
 *   call (a jog is judged against the last position the host read or reached; only if
 *   that allows it is the position read from the controller and the jog checked again).
 * - A move interrupted by e-stop, stop or a lost port fails (E_ESTOP / E_ABORTED) with the
 *   position where it stopped; it never resolves as if it had arrived.
 * - Switching lasers off reports every line as confirmed-off, unconfirmed or unreachable.
 * - Nothing here belongs to one client: any caller's stop or e-stop ends every caller's
 *   moves, and what the operator must see goes into shared state via `reports`.
 */
import type { Camera, Laser, XYPositionUm, XYStage, ZDrive } from '../../drivers/devices';
import { EstopLatchedError, LimitError, StateError, ValidationError } from '../../drivers/errors';
import type { LaserOffLine } from '../api/contract';
import type { Logger } from '../host/logger';
import { EmissionLog } from './emission-log';
import { Envelope, type EnvelopeLimits } from './envelope';
import { switchLaserOff, type LaserOffAttempt } from './laser-off';
import { MotionGuard, type Axis } from './motion-guard';
import { withTimeout } from './with-timeout';

/** Where the layer reports what the operator must see; the device manager mirrors it into state. */
export interface SafetyReports {
  /** One line's off attempt: confirmed clears its alarm; anything else raises it. */
  laserOff(attempt: LaserOffAttempt): void;
  /** A stage or focus drive became trusted (confirmed) or untrusted (reconnected). */
  positionTrust(deviceId: string, trusted: boolean): void;
}

export interface SafetyDevices {
  stage: XYStage | undefined;
  focus: ZDrive | undefined;
  lasers: ReadonlyMap<string, Laser>;
  camera: Camera | undefined;
  reports?: SafetyReports;
  /** Positions the host read while the axis was idle (the device manager's refreshes). */
  idleXyUm?(): XYPositionUm | undefined;
  idleZUm?(): number | undefined;
}

export interface LaserOffReport {
  /** Lines confirmed off. */
  lasersOff: string[];
  /** Every line, in configuration order. */
  lines: LaserOffLine[];
}

const STOP_TIMEOUT_MS = 1_000;

export class SafetyLayer {
  readonly envelope: Envelope;
  /** Confirmed emission of every line switched through this layer (per-frame doses). */
  readonly emission = new EmissionLog();
  /** Last power setpoint each line acknowledged through this layer. */
  private readonly setpointMw = new Map<string, number>();
  private latchedReason: string | null = null;
  private readonly latchListeners = new Set<(reason: string | null) => void>();
  private readonly motion: MotionGuard;

  constructor(
    limits: EnvelopeLimits,
    private readonly devices: SafetyDevices,
    private readonly log: Logger,
    /** Epoch ms the emission log's times are on (a dry run's simulated time; default real). */
    private readonly epochNow: () => number = Date.now,
  ) {
    this.envelope = new Envelope(limits);
    this.motion = new MotionGuard((axis, trusted) => {
      const id = (axis === 'xy' ? devices.stage : devices.focus)?.id;
      if (!id) return;
      this.log.log(
        trusted ? 'info' : 'warn',
        trusted
          ? `${id}: position confirmed; moves allowed again`
          : `${id}: reconnected; position not trusted until confirmed or homed, moves refused`,
      );
      devices.reports?.positionTrust(id, trusted);
    });
    if (devices.stage) this.motion.watchReconnects('xy', devices.stage);
    if (devices.focus) this.motion.watchReconnects('z', devices.focus);
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

  /** The checks every move passes before anything is sent. */
  private allowMove<A extends Axis>(axis: A): A extends 'xy' ? XYStage : ZDrive {
    this.assertClear();
    const device = axis === 'xy' ? this.requireStage() : this.requireFocus();
    this.motion.assertTrusted(axis, device.id);
    return device as A extends 'xy' ? XYStage : ZDrive;
  }

  async moveStageTo(target: XYPositionUm): Promise<XYPositionUm> {
    const stage = this.allowMove('xy');
    this.envelope.assertXY(target, 'Stage move');
    return this.runXy(stage, target, 'Stage move');
  }

  async moveStageBy(dxUm: number, dyUm: number): Promise<XYPositionUm> {
    const stage = this.allowMove('xy');
    const jog = (from: XYPositionUm) => ({ xUm: from.xUm + dxUm, yUm: from.yUm + dyUm });
    const known = this.motion.lastKnown('xy') ?? this.devices.idleXyUm?.();
    if (known) this.envelope.assertXY(jog(known), 'Stage jog');
    const target = jog(await this.readXy(stage));
    this.envelope.assertXY(target, 'Stage jog');
    return this.runXy(stage, target, 'Stage jog');
  }

  async moveFocusTo(zUm: number): Promise<number> {
    const focus = this.allowMove('z');
    this.envelope.assertZ(zUm, 'Focus move');
    return this.runZ(focus, zUm, 'Focus move');
  }

  async moveFocusBy(dzUm: number): Promise<number> {
    const focus = this.allowMove('z');
    const known = this.motion.lastKnown('z') ?? this.devices.idleZUm?.();
    if (known !== undefined) this.envelope.assertZ(known + dzUm, 'Focus jog');
    const target = (await this.readZ(focus)) + dzUm;
    this.envelope.assertZ(target, 'Focus jog');
    return this.runZ(focus, target, 'Focus jog');
  }

  /**
   * Stops XY motion; every XY move in flight (whoever started it) fails with E_ABORTED, and
   * every Z move too when the controller has no per-axis stop.
   */
  async stopStage(): Promise<void> {
    const stage = this.requireStage();
    this.motion.interrupt(stage.stopHaltsAllAxes ? ['xy', 'z'] : ['xy'], 'stop');
    await stage.stop();
  }

  async stopFocus(): Promise<void> {
    const focus = this.requireFocus();
    this.motion.interrupt(focus.stopHaltsAllAxes ? ['xy', 'z'] : ['z'], 'stop');
    await focus.stop();
  }

  /** Confirms the XY position after a reconnect (the operator checked it); returns it. */
  async confirmStagePosition(): Promise<XYPositionUm> {
    const at = await this.requireStage().getPositionUm();
    this.motion.confirm('xy', at);
    return at;
  }

  async confirmFocusPosition(): Promise<number> {
    const at = await this.requireFocus().getPositionUm();
    this.motion.confirm('z', at);
    return at;
  }

  /** Reads the XY position (pass-through for in-host callers), remembering it for jog checks. */
  async readXy(stage: XYStage = this.requireStage()): Promise<XYPositionUm> {
    const at = await stage.getPositionUm();
    this.motion.remember('xy', at);
    return at;
  }

  async readZ(focus: ZDrive = this.requireFocus()): Promise<number> {
    const at = await focus.getPositionUm();
    this.motion.remember('z', at);
    return at;
  }

  /** Checked again here: an e-stop or reconnect during a jog's position read must win. */
  private runXy(stage: XYStage, target: XYPositionUm, what: string): Promise<XYPositionUm> {
    this.assertClear();
    this.motion.assertTrusted('xy', stage.id);
    return this.motion.run(
      'xy',
      what,
      () => stage.moveToUm(target),
      () => stage.getPositionUm(),
    );
  }

  private runZ(focus: ZDrive, zUm: number, what: string): Promise<number> {
    this.assertClear();
    this.motion.assertTrusted('z', focus.id);
    return this.motion.run(
      'z',
      what,
      () => focus.moveToUm(zUm),
      () => focus.getPositionUm(),
    );
  }

  /** Refuses (with nothing sent) what setLaserEmission(on) / setLaserPower would refuse. */
  assertLaserAllowed(laserId: string, opts: { on?: boolean; powerMw?: number }): Laser {
    const laser = this.requireLaser(laserId);
    if (opts.on) this.assertClear();
    const { powerMw } = opts;
    if (powerMw !== undefined && !(powerMw >= 0 && powerMw <= laser.maxPowerMw)) {
      throw new LimitError(`Laser ${laserId}: ${powerMw} mW is outside 0..${laser.maxPowerMw} mW`, {
        laserId,
        powerMw,
        maxPowerMw: laser.maxPowerMw,
      });
    }
    return laser;
  }

  async setLaserEmission(laserId: string, on: boolean): Promise<void> {
    const laser = this.assertLaserAllowed(laserId, { on });
    await laser.setEmission(on);
    const atMs = this.epochNow();
    if (!on) return this.emission.off(laserId, atMs);
    let powerMw = this.setpointMw.get(laserId);
    if (powerMw === undefined) this.setpointMw.set(laserId, (powerMw = await laser.getPowerMw()));
    this.emission.on(laserId, powerMw, atMs);
  }

  async setLaserPower(laserId: string, powerMw: number): Promise<void> {
    await this.assertLaserAllowed(laserId, { powerMw }).setPowerMw(powerMw);
    this.setpointMw.set(laserId, powerMw);
    this.emission.power(laserId, powerMw, this.epochNow());
  }

  /**
   * Emission off on every laser at once, each line bounded (LASER_OFF_TIMEOUT_MS) so one hung
   * driver cannot block the others; every line is reported (and mirrored into state).
   */
  async allLasersOff(reason: string): Promise<LaserOffReport> {
    const attempts = await Promise.all(
      [...this.devices.lasers].map(async ([id, laser]) => {
        const a = await switchLaserOff(id, laser);
        if (a.line.outcome === 'confirmed-off') this.emission.off(id, this.epochNow());
        return a;
      }),
    );
    for (const a of attempts) this.devices.reports?.laserOff(a);
    const lines = attempts.map((a) => a.line);
    const failed = lines
      .filter((l) => l.outcome !== 'confirmed-off')
      .map((l) => `${l.laserId} ${l.outcome} (${l.reason})`)
      .join(', ');
    this.log.log(
      failed ? 'error' : 'info',
      `All lasers off (${reason})${failed ? `; NOT CONFIRMED OFF: ${failed}` : ''}`,
    );
    return {
      lasersOff: lines.filter((l) => l.outcome === 'confirmed-off').map((l) => l.laserId),
      lines,
    };
  }

  /** Halts all motion, switches every laser off and latches until reset(). */
  async estop(reason: string): Promise<LaserOffReport> {
    this.latch(reason);
    this.motion.interrupt(['xy', 'z'], 'estop');
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
