/** Dose per exposure window from confirmed on/off times and power setpoints. */
import { describe, expect, it } from 'vitest';
import { EmissionLog } from '../../../electron/safety/emission-log';

describe('EmissionLog', () => {
  it('counts only the time a line emitted inside the window, at the power of each segment', () => {
    const log = new EmissionLog();
    log.on('a', 10, 100);
    log.power('a', 20, 150); // new setpoint while emitting
    log.off('a', 200);
    log.on('b', 5, 0);
    log.off('b', 50); // entirely before the window
    expect(log.doseMwMs(120, 180)).toEqual({ a: 30 * 10 + 30 * 20 });
    expect(log.doseMwMs(0, 1000)).toEqual({ a: 50 * 10 + 50 * 20, b: 50 * 5 });
    expect(log.doseMwMs(300, 400)).toEqual({});
  });

  it('a line not confirmed off counts as emitting to the end of the window', () => {
    const log = new EmissionLog();
    log.on('a', 10, 100);
    expect(log.doseMwMs(150, 170)).toEqual({ a: 200 });
    log.on('a', 99, 160); // already on: no new segment
    expect(log.doseMwMs(150, 170)).toEqual({ a: 200 });
    log.off('a', 165);
    expect(log.doseMwMs(150, 170)).toEqual({ a: 150 });
  });
});
