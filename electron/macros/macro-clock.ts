/**
 * Time as a macro sees it. Real runs wait; dry runs advance a virtual clock instead of
 * waiting (`aquila.sleep(3_600_000)` costs nothing) and add the real time every device
 * call took on the simulator, so the reported duration is what the real run would take.
 */
export interface MacroClock {
  /** Macro time since start, ms. */
  elapsedMs(): number;
  /** Resolves after `ms` of macro time, or rejects when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export function realClock(now: () => number = performance.now.bind(performance)): MacroClock {
  const start = now();
  return {
    elapsedMs: () => now() - start,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason as Error);
        const t = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        const onAbort = () => {
          clearTimeout(t);
          reject(signal.reason as Error);
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

/** Real elapsed time plus every sleep, skipped (`onSkip` hears each skipped span). */
export function virtualClock(
  onSkip: (ms: number) => void = () => undefined,
  now: () => number = performance.now.bind(performance),
): MacroClock {
  const start = now();
  let skippedMs = 0;
  return {
    elapsedMs: () => now() - start + skippedMs,
    sleep: (ms, signal) => {
      if (signal.aborted) return Promise.reject(signal.reason as Error);
      skippedMs += ms;
      onSkip(ms);
      return Promise.resolve();
    },
  };
}
