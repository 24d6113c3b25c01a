/**
 * useq-schema time deltas → integer microseconds. useq (pydantic) holds intervals and
 * durations as Python `timedelta`, whose arithmetic is exact in whole microseconds; we keep
 * the same integer representation so `min_start_time` values match useq bit for bit
 * (0.1 s × 3 is 0.3, not 0.30000000000000004).
 *
 * Accepted forms (the ones pydantic v2 accepts for a timedelta):
 * - a number of seconds: `0.5`
 * - ISO 8601: `"PT1M30S"`, `"P1DT2H"`, `"PT0.25S"`
 * - clock form: `"01:02:03"`, `"0:00:00.100000"`, `"1d,01:02:03"`, `"2 days, 0:00:01"`
 * - a dict of timedelta arguments: `{"minutes": 1, "seconds": 30}`
 */
import { z } from 'zod';

const US_PER = {
  weeks: 604_800e6,
  days: 86_400e6,
  hours: 3_600e6,
  minutes: 60e6,
  seconds: 1e6,
  milliseconds: 1e3,
  microseconds: 1,
} as const;

/**
 * Seconds (float, ≥ 0) → whole microseconds as pydantic-core converts a float to a
 * timedelta: whole seconds plus round(fraction × 10⁶) (`float_as_duration`).
 */
export function secondsToUs(seconds: number): number {
  const whole = Math.trunc(seconds);
  return whole * 1e6 + Math.round((seconds - whole) * 1e6);
}

/** Python's `timedelta.total_seconds()` of a whole-microsecond value. */
export function usToSeconds(us: number): number {
  return us / 1e6;
}

/** Python's `timedelta / int`: divide and round half to even, in whole microseconds. */
export function divRoundHalfEven(us: number, n: number): number {
  const q = Math.floor(us / n);
  const r = us - q * n;
  const twice = 2 * r;
  if (twice > n || (twice === n && q % 2 !== 0)) return q + 1;
  return q;
}

const ISO =
  /^([-+])?P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
const CLOCK = /^(-)?(?:(\d+)\s*(?:d|days?)\s*,?\s*)?(\d+):(\d{1,2})(?::(\d{1,2}(?:\.\d{1,6})?))?$/i;

function parseString(text: string): number | string {
  const s = text.trim();
  const iso = ISO.exec(s);
  if (iso && /\d/.test(s)) {
    const [, sign, w, d, h, m, sec] = iso;
    const us =
      Number(w ?? 0) * US_PER.weeks +
      Number(d ?? 0) * US_PER.days +
      Number(h ?? 0) * US_PER.hours +
      Number(m ?? 0) * US_PER.minutes +
      Number(sec ?? 0) * US_PER.seconds;
    return Math.round(sign === '-' ? -us : us);
  }
  const clock = CLOCK.exec(s);
  if (clock) {
    const [, sign, d, h, m, sec] = clock;
    const us =
      Number(d ?? 0) * US_PER.days +
      Number(h) * US_PER.hours +
      Number(m) * US_PER.minutes +
      Number(sec ?? 0) * US_PER.seconds;
    return Math.round(sign ? -us : us);
  }
  return `"${text}" is not a duration (use seconds, ISO 8601 like "PT1.5S", or "HH:MM:SS")`;
}

const dictForm = z
  .object({
    weeks: z.number().finite().optional(),
    days: z.number().finite().optional(),
    hours: z.number().finite().optional(),
    minutes: z.number().finite().optional(),
    seconds: z.number().finite().optional(),
    milliseconds: z.number().finite().optional(),
    microseconds: z.number().finite().optional(),
  })
  .strict();

/** A useq time delta; output is whole microseconds, never negative. */
export const durationUs = z.unknown().transform((value, ctx): number => {
  let us: number | string;
  if (typeof value === 'number') {
    us = Number.isFinite(value) ? secondsToUs(value) : 'expected a finite number of seconds';
  } else if (typeof value === 'string') {
    us = parseString(value);
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const r = dictForm.safeParse(value);
    if (!r.success) {
      for (const issue of r.error.issues)
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      return z.NEVER;
    }
    let total = 0;
    for (const [k, v] of Object.entries(r.data))
      total += (v ?? 0) * US_PER[k as keyof typeof US_PER];
    us = Math.round(total);
  } else {
    us = 'expected a duration: seconds, an ISO 8601 string or {"seconds": …}';
  }
  if (typeof us === 'string') {
    ctx.addIssue({ code: 'custom', message: us });
    return z.NEVER;
  }
  if (us < 0) {
    ctx.addIssue({ code: 'custom', message: 'a duration must not be negative' });
    return z.NEVER;
  }
  return us;
});
