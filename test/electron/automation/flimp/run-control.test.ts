/** RunControl.sleep waits on the run's clock: simulated time in a dry run, skipped not waited. */
import { describe, expect, it } from 'vitest';
import { FastClock } from '../../../../drivers/sim/sim-clock';
import { RunControl, RunStopped } from '../../../../electron/automation/flimp/run-control';

describe('RunControl.sleep', () => {
  it('waits its time on the run’s clock', async () => {
    const clock = new FastClock();
    const control = new RunControl(clock);
    const from = clock.now();
    const wallFrom = performance.now();
    await control.sleep(60_000);
    expect(clock.now() - from).toBeGreaterThanOrEqual(60_000);
    expect(performance.now() - wallFrom).toBeLessThan(5_000);
    expect(clock.skippedMs).toBeGreaterThan(55_000);
  });

  it('ends at once on cancel, without waiting out the clock’s timer', async () => {
    const clock = new FastClock();
    const control = new RunControl(clock);
    // held work keeps the clock from skipping: only the cancel can end the sleep early
    let release = () => {};
    void clock.hold(new Promise<void>((r) => (release = r)));
    const slept = control.sleep(60_000);
    setTimeout(() => control.cancel(), 20);
    await expect(slept).rejects.toBeInstanceOf(RunStopped);
    expect(clock.skippedMs).toBe(0);
    // its timer was cancelled: once the work settles there is nothing left to skip to
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(clock.skippedMs).toBe(0);
  });
});
