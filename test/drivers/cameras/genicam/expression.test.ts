import { describe, expect, it } from 'vitest';
import { compileFormula } from '../../../../drivers/cameras/genicam/expression';

const run = (src: string, vars: Record<string, number> = {}, integer = false) =>
  compileFormula(src).evaluate((v) => {
    if (!(v in vars)) throw new Error(`no ${v}`);
    return vars[v]!;
  }, integer);

describe('GenICam formulas', () => {
  it('follows C precedence with GenICam equality and power', () => {
    expect(run('1 + 2 * 3')).toBe(7);
    expect(run('(1 + 2) * 3')).toBe(9);
    expect(run('2 ** 3 ** 2')).toBe(512);
    expect(run('-2 ** 2')).toBe(4);
    expect(run('1 + 2 = 3')).toBe(1);
    expect(run('1 <> 1')).toBe(0);
    expect(run('3 > 2 && 2 >= 2 || 0')).toBe(1);
    expect(run('1 < 0 ? 10 : 2 <= 1 ? 20 : 30')).toBe(30);
    expect(run('7 % 4 + 1 << 2')).toBe(16);
  });

  it('does 64-bit unsigned bit arithmetic', () => {
    expect(run('0xFFFFFFFF & 0xF0F0F0F0')).toBe(0xf0f0f0f0);
    expect(run('(PF >> 16) & 0xFF', { PF: 0x01100007 })).toBe(16);
    expect(run('1 << 40')).toBe(2 ** 40);
    expect(run('~0 & 0xFF')).toBe(255);
    expect(run('5 ^ 3 | 8')).toBe(14);
  });

  it('truncates divisions in integer mode only', () => {
    const payload = 'WIDTH * HEIGHT * ((PIXELFORMAT>>16)&0xFF) / 8';
    expect(run(payload, { WIDTH: 3, HEIGHT: 1, PIXELFORMAT: 0x010c0006 }, true)).toBe(4);
    expect(run(payload, { WIDTH: 3, HEIGHT: 1, PIXELFORMAT: 0x010c0006 })).toBe(4.5);
    expect(run('(1000000 / FROM)', { FROM: 3 }, true)).toBe(333333);
  });

  it('has the GenApi functions and constants', () => {
    expect(run('ABS(-3) + SQRT(16) + TRUNC(-2.7) + FLOOR(2.7) + CEIL(2.1)')).toBe(
      3 + 4 - 2 + 2 + 3,
    );
    expect(run('ROUND(2.345, 2)')).toBeCloseTo(2.35, 10);
    expect(run('ROUND(2.5)')).toBe(3);
    expect(run('SGN(-4) + NEG(1)')).toBe(-2);
    expect(run('PI')).toBeCloseTo(Math.PI);
  });

  it('lists the variables it needs', () => {
    expect([...compileFormula('A + B.c * ABS(A) + PI').variables].sort()).toEqual(['A', 'B.c']);
  });

  it('rejects bad syntax with the formula and position named', () => {
    expect(() => compileFormula('1 +')).toThrow(/formula "1 \+": unexpected end/);
    expect(() => compileFormula('(1 + 2')).toThrow(/expected "\)"/);
    expect(() => compileFormula('1 $ 2')).toThrow(/unexpected character "\$" at column 3/);
    expect(() => compileFormula('ABS(1, 2)')).toThrow(/ABS takes 1 argument/);
    expect(() => compileFormula('1 2')).toThrow(/trailing input/);
  });

  it('never evaluates JavaScript', () => {
    expect(() => compileFormula('process.exit(1)')).toThrow(/trailing input|unexpected/);
    expect(() => compileFormula('"x"')).toThrow(/unexpected character/);
  });
});
