/**
 * Reconnect delays: 0.5 s doubling to a 10 s ceiling, with ±20 % jitter so several
 * clients behind one tunnel do not reconnect in lockstep. `attempt` counts from 0.
 */
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = 10_000;

export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const raw = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(attempt, 16)));
  return Math.round(raw * (0.8 + 0.4 * random()));
}
