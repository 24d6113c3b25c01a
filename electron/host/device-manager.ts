/**
 * Creates the configured devices, connects them, mirrors their status into AppState and
 * reconnects on request. It owns the raw device objects; only the safety layer and the
 * camera/frame path receive them. Alarms (contract.ts DeviceAlarm) live in each device's
 * status, so every client sees them: `E_UNREACHABLE` while a device's port is gone (raised
 * at the loss; the transport keeps re-opening it), and what the safety layer reports.
 */
import type {
  AnyDevice,
  Camera,
  FocusSensor,
  Laser,
  XYPositionUm,
  XYStage,
  ZDrive,
} from '../../drivers/devices';
import { serializeError } from '../../drivers/errors';
import { createDevice, type DriverContext } from '../../drivers/registry';
import type { DeviceStatus } from '../api/contract';
import type { SafetyReports } from '../safety/safety-layer';
import { DeviceAlarmBoard } from './device-alarms';
import { LatestThrottle } from './latest-throttle';
import type { DeviceSpec } from '../config/schema';
import type { Logger } from './logger';
import type { StateStore } from './state-store';

/** How often positions are re-read while an axis is moving. */
const MOTION_POLL_MS = 50;

export class DeviceManager {
  readonly devices = new Map<string, AnyDevice>();
  readonly lasers = new Map<string, Laser>();
  stage: XYStage | undefined;
  focus: ZDrive | undefined;
  camera: Camera | undefined;
  /** The focus-lock sensor, if configured; read only by the focus lock. */
  focusSensor: FocusSensor | undefined;
  private readonly specs = new Map<string, DeviceSpec>();
  private readonly unsubscribers: (() => void)[] = [];
  private readonly refreshing = new Map<string, Promise<void>>();
  private readonly rereads = new Map<string, Promise<void>>();
  private readonly everConnected = new Set<string>();
  private readonly idle: { xy?: XYPositionUm | undefined; z?: number | undefined } = {};
  private readonly alarms: DeviceAlarmBoard;
  private motionTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Devices whose change events are coalesced (see limitRefreshRate). */
  private readonly throttles = new Map<string, LatestThrottle>();

  constructor(
    specs: DeviceSpec[],
    ctx: DriverContext,
    private readonly store: StateStore,
    private readonly log: Logger,
  ) {
    this.alarms = new DeviceAlarmBoard(store);
    for (const spec of specs) {
      const device = createDevice(spec, ctx);
      this.specs.set(spec.id, spec);
      this.devices.set(spec.id, device);
      if (device.kind === 'laser') this.lasers.set(spec.id, device);
      else if (device.kind === 'xy-stage') this.stage = device;
      else if (device.kind === 'z-drive') this.focus = device;
      else if (device.kind === 'focus-sensor') this.focusSensor = device;
      else this.camera = device;
      this.unsubscribers.push(
        device.subscribe((ev) => {
          if (ev.type === 'connection') this.onConnection(spec.id, ev.state, ev.error);
          else if (ev.type === 'changed') this.onChanged(spec.id);
        }),
      );
    }
  }

  private onChanged(id: string): void {
    const throttle = this.throttles.get(id);
    if (throttle) throttle.poke();
    else void this.refresh(id);
  }

  /**
   * Re-reads `id` on its change events at most once per `minIntervalMs` (the last change is
   * always read), or on every event again with null. For a device moved at a high rate, e.g.
   * the Z drive while the focus lock holds it (~50 moves/s), so clients get at most
   * 1000 / minIntervalMs position patches a second.
   */
  limitRefreshRate(id: string, minIntervalMs: number | null): void {
    const current = this.throttles.get(id);
    if (current?.intervalMs === minIntervalMs) return;
    current?.close();
    this.throttles.delete(id);
    if (minIntervalMs !== null)
      this.throttles.set(id, new LatestThrottle(minIntervalMs, () => void this.refresh(id)));
  }

  /** Initial DeviceStatus entries for AppState. */
  initialStatuses(): Record<string, DeviceStatus> {
    const out: Record<string, DeviceStatus> = {};
    for (const [id, spec] of this.specs) {
      out[id] = {
        id,
        kind: spec.kind,
        driver: spec.driver,
        connection: 'disconnected',
        identity: null,
        lastError: null,
        alarms: [],
      };
    }
    return out;
  }

  /** Connects every device; a device that fails stays disconnected with its error shown, the host still starts. */
  async connectAll(): Promise<void> {
    await Promise.all([...this.devices.keys()].map((id) => this.connect(id)));
  }

  async connect(id: string): Promise<void> {
    const device = this.devices.get(id);
    if (!device) return;
    this.setStatus(id, { connection: 'connecting' });
    try {
      const identity = await device.connect();
      this.setStatus(id, { connection: 'connected', identity, lastError: null });
      await this.refresh(id);
    } catch (err) {
      this.log.log('error', `Device ${id} failed to connect: ${(err as Error).message}`);
      this.setStatus(id, { connection: 'disconnected', lastError: serializeError(err) });
    }
  }

  async reconnect(id: string): Promise<void> {
    const device = this.devices.get(id);
    if (!device) return;
    await device.disconnect().catch(() => undefined);
    await this.connect(id);
  }

  /** Records a failed operation on a device so the UI shows it. */
  recordError(id: string, err: unknown): void {
    if (this.devices.has(id)) this.setStatus(id, { lastError: serializeError(err) });
  }

  /** Positions read while the axis was idle, since it last connected (SafetyDevices). */
  idleXyUm = (): XYPositionUm | undefined => this.idle.xy;
  idleZUm = (): number | undefined => this.idle.z;

  /** What the safety layer reports, mirrored into the devices' status (see SafetyReports). */
  readonly reports: SafetyReports = {
    laserOff: ({ line, error }) => {
      if (line.outcome === 'confirmed-off') {
        this.alarms.clear(line.laserId, 'E_OFF_UNCONFIRMED');
        return;
      }
      const what = line.outcome === 'unreachable' ? 'unreachable' : 'did not confirm off';
      this.alarms.raise(
        line.laserId,
        'E_OFF_UNCONFIRMED',
        `${line.laserId} ${what}: ${line.reason}`,
      );
      if (error) this.recordError(line.laserId, error);
    },
    positionTrust: (id, trusted) => {
      if (trusted) this.alarms.clear(id, 'E_POSITION_UNTRUSTED');
      else
        this.alarms.raise(
          id,
          'E_POSITION_UNTRUSTED',
          `${id}: position not trusted after a reconnect — home or confirm (${this.stage?.id === id ? 'stage' : 'focus'}.confirmPosition); moves are refused until then`,
        );
    },
  };

  /**
   * Loss: shown at once with an `E_UNREACHABLE` alarm (for a laser: emission unknown).
   * Return without an error: alarm and lastError clear, and the device is read again.
   */
  private onConnection(id: string, state: DeviceStatus['connection'], error?: Error): void {
    if (state === 'connected' && !error) {
      this.everConnected.add(id);
      this.setStatus(id, { connection: state, lastError: null });
      this.alarms.clear(id, 'E_UNREACHABLE');
      void this.refresh(id);
      return;
    }
    if (id === this.stage?.id) this.idle.xy = undefined;
    if (id === this.focus?.id) this.idle.z = undefined;
    this.setStatus(
      id,
      error ? { connection: state, lastError: serializeError(error) } : { connection: state },
    );
    if (state !== 'disconnected' || this.closed) return;
    this.log.log('warn', `Device ${id} disconnected${error ? `: ${error.message}` : ''}`);
    const laser = this.lasers.has(id) ? '; emission state unknown' : '';
    // Only a port lost after it was open is re-opened by the transport by itself.
    const next = this.everConnected.has(id) ? 'reconnecting' : 'use reconnect once it is back';
    this.alarms.raise(
      id,
      'E_UNREACHABLE',
      `${id} unreachable${error ? ` (${error.message})` : ''}${laser}; ${next}`,
    );
  }

  private setStatus(id: string, patch: Partial<DeviceStatus>): void {
    this.store.update((s) => {
      const d = s.devices[id];
      if (d) Object.assign(d, patch);
    });
  }

  /**
   * Re-reads one device into AppState. Coalesced: at most one read per device in flight; calls
   * meanwhile share one more read after it, so a change made during a read is never missed.
   */
  refresh(id: string): Promise<void> {
    const device = this.devices.get(id);
    if (!device || this.closed) return Promise.resolve();
    const inFlight = this.refreshing.get(id);
    if (inFlight) {
      let again = this.rereads.get(id);
      if (!again) {
        again = inFlight.then(() => {
          this.rereads.delete(id);
          return this.refresh(id);
        });
        this.rereads.set(id, again);
      }
      return again;
    }
    if (this.store.state.devices[id]?.connection !== 'connected') return Promise.resolve();
    const done = this.read(device)
      .catch((err: unknown) => this.recordError(id, err))
      .finally(() => this.refreshing.delete(id));
    this.refreshing.set(id, done);
    return done;
  }

  private async read(device: AnyDevice): Promise<void> {
    switch (device.kind) {
      case 'xy-stage': {
        const [p, busy] = await Promise.all([device.getPositionUm(), device.isBusy()]);
        this.idle.xy = busy ? undefined : p;
        this.store.update((s) => {
          if (s.stage) Object.assign(s.stage, { xUm: p.xUm, yUm: p.yUm, busy });
        });
        if (busy) this.watchMotion();
        break;
      }
      case 'z-drive': {
        const [zUm, busy] = await Promise.all([device.getPositionUm(), device.isBusy()]);
        this.idle.z = busy ? undefined : zUm;
        this.store.update((s) => {
          if (s.focus) Object.assign(s.focus, { zUm, busy });
        });
        if (busy) this.watchMotion();
        break;
      }
      case 'laser': {
        const [emission, powerMw, interlock] = await Promise.all([
          device.getEmission(),
          device.getPowerMw(),
          device.getInterlock(),
        ]);
        this.store.update((s) => {
          const l = s.lasers[device.id];
          // Vendor drivers learn wavelength and max power from the device at connect.
          if (l)
            Object.assign(l, {
              emission,
              powerMw,
              interlock,
              wavelengthNm: device.wavelengthNm,
              maxPowerMw: device.maxPowerMw,
            });
        });
        // The head itself answered "off": that confirms it, whatever failed before.
        if (!emission) this.alarms.clear(device.id, 'E_OFF_UNCONFIRMED');
        break;
      }
      case 'camera': {
        const [exposureMs, binning, roi] = await Promise.all([
          device.getExposureMs(),
          device.getBinning(),
          device.getRoi(),
        ]);
        this.store.update((s) => {
          // sensor too: cameras that learn it at connect (GenICam) report 0 × 0 before
          if (s.camera)
            Object.assign(s.camera, {
              ...device.sensor,
              exposureMs,
              binning,
              roi,
              live: device.isLive(),
            });
        });
        break;
      }
      case 'focus-sensor':
        break; // readings belong to the focus lock; connection and errors are mirrored above
    }
  }

  /** Polls moving axes so readouts follow the motion; stops when nothing moves. */
  watchMotion(): void {
    if (this.motionTimer || this.closed) return;
    this.motionTimer = setInterval(() => {
      const ids = [this.stage?.id, this.focus?.id].filter((x): x is string => !!x);
      void Promise.all(ids.map((id) => this.refresh(id))).then(() => {
        const s = this.store.state;
        if (!s.stage?.busy && !s.focus?.busy) this.stopWatching();
      });
    }, MOTION_POLL_MS);
    this.motionTimer.unref?.();
  }

  private stopWatching(): void {
    if (this.motionTimer) clearInterval(this.motionTimer);
    this.motionTimer = undefined;
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    this.stopWatching();
    for (const t of this.throttles.values()) t.close();
    for (const u of this.unsubscribers) u();
    await Promise.allSettled([...this.devices.values()].map((d) => d.disconnect()));
  }
}
