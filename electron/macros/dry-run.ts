/**
 * Dry runs (issue #15 §3): the macro runs against the simulated microscope — the config's
 * devices replaced by the simulator's, same limits, channels and sample options — on a
 * FastClock (drivers/sim/sim-clock.ts) that the simulated devices, the safety layer's dose
 * timing and the macro's `sleep` share: waits are skipped, not waited, yet counted. Every
 * refused call is recorded instead of thrown. The same recorder measures a real run, so the
 * two reports compare figure for figure.
 */
import type { RawFrame } from '../../drivers/devices';
import type { CallOutcome } from '../api/bridge';
import type { DryRunReport } from '../api/contract';
import type { AquilaConfig } from '../config/schema';
import type { DeviceManager } from '../host/device-manager';
import type { Dispatcher } from '../host/dispatcher';
import type { StateStore } from '../host/state-store';
import type { SafetyLayer } from '../safety/safety-layer';
import { FastClock, realTime, type SimClock } from '../../drivers/sim/sim-clock';
import { macroClock, type MacroClock } from './macro-clock';
import { REFUSAL_CODES, type MacroRunOptions } from './macro-runner';

/** What the recorder watches of a host (a Host; not imported, host.ts builds dry hosts). */
export interface RecordedHost {
  devices: DeviceManager;
  store: StateStore;
  dispatcher: Dispatcher;
  safety: SafetyLayer;
}

/** Host options a recorder sets (HostOptions.macroClock, .macroDryRun, .simTime). */
export interface RecorderHostOptions {
  macroClock: () => MacroClock;
  simTime?: SimClock;
  macroDryRun?: { onCall: NonNullable<MacroRunOptions['onCall']> };
}

type DeviceSpec = AquilaConfig['devices'][number];

/** Options the simulator's drivers take, per kind (anything else in a real driver's options is dropped). */
const SIM_KEYS: Record<DeviceSpec['kind'], readonly string[]> = {
  'xy-stage': ['speedUmPerS', 'travelUm'],
  'z-drive': ['speedUmPerS', 'travelUm'],
  laser: ['wavelengthNm', 'maxPowerMw'],
  camera: ['widthPx', 'heightPx', 'pixelSizeUm', 'readoutMs'],
  'focus-sensor': [],
};

/** The config with every device on the simulator (ids, kinds, limits and channels kept). */
export function simulatedTwin(config: AquilaConfig): AquilaConfig {
  const devices = config.devices.map((d): DeviceSpec => {
    if (d.driver === 'sim') return d;
    const from = (d.options ?? {}) as Record<string, unknown>;
    const options: Record<string, unknown> = {};
    for (const k of SIM_KEYS[d.kind]) if (from[k] !== undefined) options[k] = from[k];
    if (d.kind === 'laser') {
      options.wavelengthNm ??= 488;
      options.maxPowerMw ??= config.channels.find((c) => c.laserId === d.id)?.powerMw ?? 100;
    }
    return { ...d, driver: 'sim', options } as DeviceSpec;
  });
  return { ...config, devices };
}

/** Measures what one macro does to the (simulated) instrument. */
export class MacroRecorder {
  /** The instrument's time: the twin's FastClock in a dry run, real time in a real one. */
  readonly time: SimClock;
  private clock: MacroClock | null = null;
  private startEpochMs = 0;
  private endElapsedMs: number | null = null;
  private sleptMs = 0;
  private frames = 0;
  private bytes = 0;
  private stageTravelUm = 0;
  private focusTravelUm = 0;
  private readonly refusals: DryRunReport['refusals'] = [];
  private readonly exposureDoseMwMs: Record<string, number> = {};
  private host: RecordedHost | null = null;
  private detach: (() => void)[] = [];

  constructor(readonly dryRun: boolean) {
    this.time = dryRun ? new FastClock() : realTime;
  }

  /** Host options that give the macro and devices this recorder's clock (and, dry, its refusal handling). */
  hostOptions(): RecorderHostOptions {
    const macro = () => this.newClock(macroClock(this.time));
    if (!this.dryRun) return { macroClock: macro };
    return {
      macroClock: macro,
      simTime: this.time,
      macroDryRun: { onCall: (name, _args, outcome) => this.onCall(name, outcome) },
    };
  }

  /** Starts measuring on `host` (frames, motion, refusals of macro clients). */
  attach(host: RecordedHost): void {
    this.host = host;
    const cam = host.devices.camera;
    if (cam) {
      const snap = cam.snap.bind(cam);
      const startLive = cam.startLive.bind(cam);
      cam.snap = async (into) => this.count(await snap(into));
      cam.startLive = (onFrame) => startLive((f) => onFrame(this.count(f)));
      this.detach.push(() => {
        cam.snap = snap;
        cam.startLive = startLive;
      });
    }
    let last = host.store.state;
    this.detach.push(
      host.store.subscribe(() => {
        const s = host.store.state;
        if (s.stage && last.stage)
          this.stageTravelUm += Math.hypot(
            s.stage.xUm - last.stage.xUm,
            s.stage.yUm - last.stage.yUm,
          );
        if (s.focus && last.focus) this.focusTravelUm += Math.abs(s.focus.zUm - last.focus.zUm);
        last = s;
      }),
    );
    if (!this.dryRun)
      this.detach.push(
        host.dispatcher.observe(({ name, ctx, ok, code }) => {
          if (!ok && code && ctx.clientId.startsWith('macro:'))
            this.onCall(name, { ok: false, error: { name: '', code, message: '' } });
        }),
      );
  }

  finish(): void {
    this.endElapsedMs = this.clock?.elapsedMs() ?? 0;
    for (const d of this.detach.splice(0)) d();
  }

  report(): DryRunReport {
    const durationMs = this.endElapsedMs ?? this.clock?.elapsedMs() ?? 0;
    const dose =
      this.host?.safety.emission.doseMwMs(this.startEpochMs, this.startEpochMs + durationMs) ?? {};
    return {
      durationS: round(durationMs / 1000),
      sleptS: round(this.sleptMs / 1000),
      frames: this.frames,
      bytes: this.bytes,
      stageTravelUm: round(this.stageTravelUm),
      focusTravelUm: round(this.focusTravelUm),
      laserDoseMj: toMj(dose),
      exposureDoseMj: toMj(this.exposureDoseMwMs),
      refusals: [...this.refusals],
    };
  }

  /** `c`, with the macro time each `aquila.sleep` took added to `sleptMs`. */
  private newClock(c: MacroClock): MacroClock {
    this.clock = c;
    this.startEpochMs = this.time.epochMs();
    return {
      elapsedMs: () => c.elapsedMs(),
      hold: (work) => c.hold(work),
      sleep: async (ms, signal) => {
        const from = c.elapsedMs();
        try {
          await c.sleep(ms, signal);
        } finally {
          this.sleptMs += c.elapsedMs() - from;
        }
      },
    };
  }

  private count<F extends RawFrame>(f: F): F {
    this.frames += 1;
    this.bytes += f.pixels.byteLength;
    const dose = this.host?.safety.emission.doseMwMs(f.timestampMs - f.exposureMs, f.timestampMs);
    addInto(this.exposureDoseMwMs, dose ?? {});
    return f;
  }

  private onCall(name: string, outcome: CallOutcome<unknown>): void {
    if (!outcome.ok && REFUSAL_CODES.has(outcome.error.code))
      this.refusals.push({
        command: name,
        code: outcome.error.code,
        message: outcome.error.message,
      });
  }
}

const round = (v: number) => Math.round(v * 1000) / 1000;

function addInto(to: Record<string, number>, from: Record<string, number>): void {
  for (const [id, v] of Object.entries(from)) to[id] = (to[id] ?? 0) + v;
}

function toMj(mwMs: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(mwMs).map(([id, v]) => [id, round(v / 1000)]));
}
