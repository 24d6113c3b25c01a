/** In-memory AcquisitionEngine and RunSink for runner tests; every instance is independent. */
import type { MdaEvent } from '../../../electron/plans/events';
import type {
  AcquiredFrame,
  AcquisitionEngine,
  EventSetup,
  HardwareSnapshot,
} from '../../../electron/runner/types';
import type {
  DatasetFrame,
  DatasetSummary,
  FrameIndex,
  RunEnd,
  RunSink,
} from '../../../electron/storage/layout';

export const START: HardwareSnapshot = {
  xyUm: { xUm: 10, yUm: 20 },
  zUm: 3,
  exposureMs: 15,
  laserPowersMw: { l488: 1, l561: 2 },
};

export class FakeEngine implements AcquisitionEngine {
  xUm = START.xyUm!.xUm;
  yUm = START.xyUm!.yUm;
  zUm = START.zUm!;
  exposureMs = START.exposureMs!;
  powers: Record<string, number> = { ...START.laserPowersMw };
  emission: Record<string, boolean> = { l488: false, l561: false };
  activeLaser: string | null = null;
  readonly log: string[] = [];
  readonly setups: EventSetup[] = [];
  acquisitions = 0;
  /** setupEvent call numbers (0-based) that throw. */
  failSetupAt = new Set<number>();
  failSetupAlways = false;
  /** setupEvent call number → the error it throws. */
  failSetupWith = new Map<number, Error>();
  failRestore = false;
  autofocus?: (event: MdaEvent) => Promise<void>;
  /** Called at the start of each acquisition; a returned promise holds it. */
  onAcquire: (n: number) => Promise<void> | void = () => {};

  async snapshotHardware(): Promise<HardwareSnapshot> {
    this.log.push('snapshot');
    return {
      xyUm: { xUm: this.xUm, yUm: this.yUm },
      zUm: this.zUm,
      exposureMs: this.exposureMs,
      laserPowersMw: { ...this.powers },
    };
  }

  async restoreHardware(s: HardwareSnapshot): Promise<void> {
    this.log.push('restore');
    if (this.failRestore) throw new Error('stage jammed');
    this.xUm = s.xyUm!.xUm;
    this.yUm = s.xyUm!.yUm;
    this.zUm = s.zUm!;
    this.exposureMs = s.exposureMs!;
    this.powers = { ...s.laserPowersMw };
  }

  async setupEvent(setup: EventSetup): Promise<void> {
    const n = this.setups.length;
    this.setups.push(setup);
    this.log.push('setup');
    if (this.failSetupAlways || this.failSetupAt.has(n))
      throw new Error(`stage timeout at setup ${n}`);
    const error = this.failSetupWith.get(n);
    if (error) throw error;
    this.xUm = setup.xUm ?? this.xUm;
    this.yUm = setup.yUm ?? this.yUm;
    this.zUm = setup.zUm ?? this.zUm;
    if (setup.channel) {
      for (const id of Object.keys(this.emission))
        if (id !== setup.channel.laserId) this.emission[id] = false;
      this.powers[setup.channel.laserId] = setup.channel.powerMw;
      this.activeLaser = setup.channel.laserId;
    }
    this.exposureMs = setup.exposureMs ?? this.exposureMs;
  }

  /** The `into` buffer of each acquireFrame call. */
  readonly intoBuffers: (ArrayBuffer | undefined)[] = [];

  async acquireFrame(into?: ArrayBuffer): Promise<AcquiredFrame> {
    this.intoBuffers.push(into);
    const n = this.acquisitions++;
    this.log.push('acquire');
    await this.onAcquire(n);
    if (this.activeLaser) this.emission[this.activeLaser] = true;
    // Like a camera that fills caller buffers of its frame's size.
    const pixels = (
      into?.byteLength === 4 * 3 * 2 ? new Uint16Array(into) : new Uint16Array(4 * 3)
    ).fill(n);
    return {
      pixels,
      meta: {
        seq: n,
        cameraSeq: n,
        widthPx: 4,
        heightPx: 3,
        bitDepth: 16,
        binning: 1,
        pixelSizeUm: 0.1,
        exposureMs: this.exposureMs,
        timestampMs: Date.now(),
        stage: { xUm: this.xUm, yUm: this.yUm, zUm: this.zUm },
        lasersMw: Object.fromEntries(
          Object.keys(this.emission).map((id) => [id, this.emission[id] ? this.powers[id]! : 0]),
        ),
      },
    };
  }

  async lasersOff(): Promise<void> {
    this.log.push('lasersOff');
    for (const id of Object.keys(this.emission)) this.emission[id] = false;
  }

  anyLaserOn(): boolean {
    return Object.values(this.emission).some(Boolean);
  }

  /** True when the hardware is back at START. */
  restored(): boolean {
    return (
      this.xUm === START.xyUm!.xUm &&
      this.yUm === START.xyUm!.yUm &&
      this.zUm === START.zUm &&
      this.exposureMs === START.exposureMs &&
      JSON.stringify(this.powers) === JSON.stringify(START.laserPowersMw)
    );
  }
}

export class FakeSink implements RunSink {
  readonly frames: { frame: DatasetFrame; index: FrameIndex }[] = [];
  end: RunEnd | null = null;
  /** Write number (0-based) that rejects, like a full disk. */
  failAt: number | null = null;
  writeDelayMs = 0;

  async write(frame: DatasetFrame, index: FrameIndex): Promise<void> {
    if (this.writeDelayMs) await new Promise((r) => setTimeout(r, this.writeDelayMs));
    if (this.failAt !== null && this.frames.length >= this.failAt)
      throw new Error('ENOSPC: no space left on device, write');
    this.frames.push({ frame, index });
  }

  async close(end: RunEnd): Promise<DatasetSummary> {
    this.end = end;
    return {
      dir: '/tmp/fake',
      outcome: end.outcome,
      bytesWritten: this.frames.reduce((n, f) => n + f.frame.pixels.byteLength, 0),
      framesExpected: 0,
      framesWritten: this.frames.length,
      framesDropped: 0,
      lastIndex: this.frames.at(-1)?.index ?? null,
    };
  }
}

/** A simple deferred for holding an acquisition until the test releases it. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** n events over channels GFP/mCherry alternately at x = 100·i. */
export function simpleEvents(n: number): MdaEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    index: { t: 0, c: i % 2, z: Math.floor(i / 2) },
    channel: { config: i % 2 ? 'mCherry' : 'GFP', group: 'Channel' },
    x_pos: 100 * i,
    y_pos: -5,
    z_pos: i,
  }));
}

export const PRESETS = new Map([
  ['GFP', { name: 'GFP', laserId: 'l488', powerMw: 10, exposureMs: 30 }],
  ['mCherry', { name: 'mCherry', laserId: 'l561', powerMw: 20, exposureMs: 40 }],
]);
