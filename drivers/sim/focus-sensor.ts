/**
 * Simulated reflection focus sensor (a PFS/CRISP-like line sensor). The spot position
 * follows d = (objective z − coverslip z under the objective) − zeroUm:
 *
 *   positionPx = centre + pxPerUm · d · (1 + nonlinearity · (d / halfRangeUm)²) + noise
 *
 * (monotonic; `halfRangeUm` is where the linear part reaches the sensor edge). The spot
 * dims as exp(−(d / signalWidthUm)²). No usable reading (`positionPx: null`) when the spot
 * falls off the sensor, the signal is below `minSignal`, the objective is over a hole in
 * the carrier, or the tests have set `blocked`. Readings are timestamped with the world
 * clock, so a test or benchmark that advances an injected clock sees drift at once.
 */
import { z } from 'zod';
import type { DeviceIdentity, FocusSensor } from '../devices';
import { parseOrThrow } from '../validation';
import { hash32, normal, uniform } from './rng';
import { identity, SimConnectable } from './sim-devices';
import type { SimWorld } from './world';

export const simFocusSensorOptions = z
  .object({
    /** Spot displacement per µm of objective–coverslip distance, px/µm (sign = direction). */
    pxPerUm: z
      .number()
      .finite()
      .refine((v) => v !== 0, 'must not be 0')
      .default(40),
    /** Line sensor length, px. */
    sensorPx: z.number().int().min(16).max(65_536).default(1024),
    /** Distance (objective z − coverslip z, µm) that puts the spot at the sensor centre. */
    zeroUm: z.number().finite().default(0),
    /** Cubic non-linearity, as a fraction of the linear term at the sensor edge. */
    nonlinearity: z.number().min(0).max(0.5).default(0.03),
    /** RMS position noise at full signal, px (grows as 1/signal). */
    noisePx: z.number().min(0).max(100).default(0.3),
    /** Distance over which the spot dims to 1/e, µm. */
    signalWidthUm: z.number().positive().default(30),
    /** Below this signal there is no usable position. */
    minSignal: z.number().min(0).max(1).default(0.1),
  })
  .strict();
export type SimFocusSensorOptions = z.output<typeof simFocusSensorOptions>;

export class SimFocusSensor extends SimConnectable implements FocusSensor {
  readonly kind = 'focus-sensor' as const;
  readonly rangePx: { min: number; max: number };
  /** Fault injection: an obstruction in the IR path (no signal until cleared). */
  blocked = false;
  private readonly o: SimFocusSensorOptions;
  private readonly rand: () => number;
  subscribe = this.events.subscribe.bind(this.events);

  constructor(
    readonly id: string,
    private readonly world: SimWorld,
    options: unknown,
  ) {
    super();
    this.o = parseOrThrow(simFocusSensorOptions, options, `device "${id}" options`);
    this.rangePx = { min: 0, max: this.o.sensorPx - 1 };
    this.rand = uniform(hash32(world.options.seed, 0xf0c5));
  }

  async connect(): Promise<DeviceIdentity> {
    this.events.setConnection('connected');
    return identity('Simulated IR focus sensor', this.id);
  }

  async disconnect(): Promise<void> {
    this.events.setConnection('disconnected');
  }

  async read(): Promise<{ positionPx: number | null; signal: number; timestampMs: number }> {
    this.assertConnected(this.id);
    const w = this.world;
    const now = w.clock();
    const [sx = 0, sy = 0] = w.stage.positionUm(now);
    const [zUm = 0] = w.focus.positionUm(now);
    const p = w.surface.toSample(sx, sy, now);
    const d = zUm - w.surface.heightUm(p.xUm, p.yUm, now) - this.o.zeroUm;
    const reflects = !this.blocked && !w.surface.inHole(p.xUm, p.yUm);
    const signal = reflects ? Math.exp(-((d / this.o.signalWidthUm) ** 2)) : 0;
    const measured = Math.max(0, Math.min(1, signal + 0.01 * normal(this.rand)));
    if (signal < this.o.minSignal) return { positionPx: null, signal: measured, timestampMs: now };
    const half = this.o.sensorPx / 2;
    const halfRangeUm = half / Math.abs(this.o.pxPerUm);
    const ideal = this.o.pxPerUm * d * (1 + this.o.nonlinearity * (d / halfRangeUm) ** 2);
    const positionPx = half + ideal + (this.o.noisePx / signal) * normal(this.rand);
    const inRange = positionPx >= this.rangePx.min && positionPx <= this.rangePx.max;
    return { positionPx: inRange ? positionPx : null, signal: measured, timestampMs: now };
  }
}
