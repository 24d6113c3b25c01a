import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDuration,
  formatRate,
  formatStarted,
  fraction,
} from '../../../renderer/ui/format';

describe('format helpers', () => {
  it('formatBytes: binary units, three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(6 * 512 * 512 * 2)).toBe('3.00 MiB');
    expect(formatBytes(42.5 * 2 ** 30)).toBe('42.5 GiB');
    expect(formatBytes(300 * 2 ** 40)).toBe('300 TiB');
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(-1)).toBe('—');
  });

  it('formatRate', () => {
    expect(formatRate(2 * 2 ** 20)).toBe('2.00 MiB/s');
  });

  it('formatDuration', () => {
    expect(formatDuration(0.42)).toBe('0.4 s');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(2 * 3600 + 7 * 60 + 20)).toBe('2 h 07 min');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });

  it('fraction clamps and survives a zero total', () => {
    expect(fraction(3, 6)).toBe(0.5);
    expect(fraction(7, 6)).toBe(1);
    expect(fraction(0, 0)).toBe(0);
  });

  it('formatStarted shows local time; bad input passes through', () => {
    const d = new Date(2026, 0, 2, 3, 4);
    expect(formatStarted(d.toISOString())).toBe('2026-01-02 03:04');
    expect(formatStarted(null)).toBe('—');
    expect(formatStarted('yesterday')).toBe('yesterday');
  });
});
