/**
 * Time as a macro sees it: the clock its instrument keeps. A real run's is real time; a dry
 * run's is the simulated twin's FastClock (drivers/sim/sim-clock.ts), on which
 * `aquila.sleep(3_600_000)`, moves, exposures and read-outs are skipped rather than waited
 * while still counted, so the reported duration is what the real run would take.
 */
import { realTime, type SimClock } from '../../drivers/sim/sim-clock';

export interface MacroClock {
  /** Macro time since start, ms. */
  elapsedMs(): number;
  /** Resolves after `ms` of macro time, or rejects when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** The macro computes until `work` settles: simulated time must not skip meanwhile. */
  hold(work: Promise<void>): void;
}

/** A macro clock starting now on `time`. */
export function macroClock(time: SimClock = realTime): MacroClock {
  const start = time.now();
  return {
    elapsedMs: () => time.now() - start,
    hold: (work) => void time.hold(work),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason as Error);
        const cancel = time.after(ms, () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        });
        const onAbort = () => {
          cancel();
          reject(signal.reason as Error);
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }),
  };
}
