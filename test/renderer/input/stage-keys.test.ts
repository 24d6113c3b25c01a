import { describe, expect, it } from 'vitest';
import { parseNumberField } from '../../../renderer/input/parse-number';
import { isStopKey, JogGate, jogForKey, type KeyLike } from '../../../renderer/input/stage-keys';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  shiftKey: false,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  ...mods,
});

describe('stage keys', () => {
  it('maps arrows to XY and PageUp/PageDown to Z with the selected steps', () => {
    // Arrows move the field of view as they point on screen (image y is down): with the
    // identity orientation, up is stage −Y.
    expect(jogForKey(key('ArrowRight'), 10, 1)?.args).toEqual({ dxUm: 10, dyUm: 0 });
    expect(jogForKey(key('ArrowLeft'), 10, 1)?.args).toEqual({ dxUm: -10, dyUm: 0 });
    expect(jogForKey(key('ArrowUp'), 10, 1)?.args).toEqual({ dxUm: 0, dyUm: -10 });
    expect(jogForKey(key('ArrowDown'), 10, 1)?.args).toEqual({ dxUm: 0, dyUm: 10 });
    const flipped = { flipX: true, flipY: false, rotate90: false };
    expect(jogForKey(key('ArrowRight'), 10, 1, flipped)?.args).toEqual({ dxUm: -10, dyUm: 0 });
    expect(jogForKey(key('PageUp'), 10, 0.5)).toEqual({
      command: 'focus.moveBy',
      axis: 'z',
      args: { dzUm: 0.5 },
    });
    expect(jogForKey(key('PageDown'), 10, 0.5)?.args).toEqual({ dzUm: -0.5 });
  });

  it('Shift multiplies by 10, Alt divides by 10, Ctrl/Meta and other keys do nothing', () => {
    expect(jogForKey(key('ArrowRight', { shiftKey: true }), 10, 1)?.args).toEqual({
      dxUm: 100,
      dyUm: 0,
    });
    expect(jogForKey(key('PageUp', { altKey: true }), 10, 1)?.args).toEqual({ dzUm: 0.1 });
    expect(jogForKey(key('ArrowRight', { ctrlKey: true }), 10, 1)).toBeNull();
    expect(jogForKey(key('ArrowRight', { metaKey: true }), 10, 1)).toBeNull();
    expect(jogForKey(key('x'), 10, 1)).toBeNull();
  });

  it('Escape is the stop key and never a jog', () => {
    expect(isStopKey(key('Escape'))).toBe(true);
    expect(isStopKey(key('ArrowUp'))).toBe(false);
    expect(jogForKey(key('Escape'), 10, 1)).toBeNull();
  });

  it('drops auto-repeats while a jog on that axis is in flight, never discrete presses', () => {
    const g = new JogGate();
    expect(g.tryBegin('xy', false)).toBe(true);
    expect(g.tryBegin('xy', true)).toBe(false);
    expect(g.tryBegin('z', true)).toBe(true);
    expect(g.tryBegin('xy', false)).toBe(true);
    g.end('xy');
    expect(g.tryBegin('xy', true)).toBe(false);
    g.end('xy');
    expect(g.tryBegin('xy', true)).toBe(true);
  });
});

describe('number fields', () => {
  it('parses numbers and names the field in errors', () => {
    expect(parseNumberField(' 12.5 ', 'Exposure')).toEqual({ ok: true, value: 12.5 });
    expect(parseNumberField('abc', 'Exposure')).toEqual({
      ok: false,
      error: 'Exposure: "abc" is not a number',
    });
    expect(parseNumberField('', 'X')).toEqual({ ok: false, error: 'X: "" is not a number' });
    expect(parseNumberField('120', 'P', 0, 100)).toEqual({
      ok: false,
      error: 'P: 120 is above the maximum of 100',
    });
    expect(parseNumberField('-1', 'P', 0, 100)).toEqual({
      ok: false,
      error: 'P: -1 is below the minimum of 0',
    });
    expect(parseNumberField('200', 'Power', 0, 150, 'mW')).toEqual({
      ok: false,
      error: 'Power: 200 mW is above the maximum of 150 mW',
    });
  });
});
