import { describe, expect, it } from 'vitest';
import { DeviceError, ProtocolError } from '../../../../drivers/errors';
import {
  asiErrorMeaning,
  asiUnitsToUm,
  formatAsiUnits,
  parseAsiAxisValues,
  parseAsiBusy,
  parseAsiNumbers,
  parseAsiReply,
  umToAsiUnits,
} from '../../../../drivers/stages/asi/asi-protocol';

describe('ASI reply parsing', () => {
  it.each([
    [':A', ''],
    [':A \r\n', ''],
    [':A 12345.6 ', '12345.6'],
    [':A Version: USB-9.2p ', 'Version: USB-9.2p'],
    [':a x=1', 'x=1'],
  ])('%j → data %j', (raw, data) => {
    expect(parseAsiReply(raw, 'CMD')).toBe(data);
  });

  it.each([
    [1, 'unknown command'],
    [2, 'unrecognized axis parameter'],
    [3, 'missing parameters'],
    [4, 'parameter out of range'],
    [5, 'operation failed'],
    [6, 'undefined error'],
    [7, 'invalid card address'],
    [9, 'reserved error code'],
    [15, 'filter wheel error'],
    [21, 'serial command halted by HALT'],
    [42, 'undocumented error code'],
  ])(':N-%i → DeviceError "%s"', (code, meaning) => {
    expect(asiErrorMeaning(code)).toBe(meaning);
    let caught: unknown;
    try {
      parseAsiReply(`:N-${code}\r\n`, 'M X=1');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DeviceError);
    const err = caught as DeviceError;
    expect(err.details).toMatchObject({ vendorCode: code, meaning, command: 'M X=1' });
    expect(err.message).toContain(meaning);
  });

  it.each(['', 'garbage', 'A 1', '#%\x01'])(
    '%j is a ProtocolError carrying the raw bytes',
    (raw) => {
      expect(() => parseAsiReply(raw, 'W X')).toThrow(ProtocolError);
      try {
        parseAsiReply(raw, 'W X');
      } catch (e) {
        expect((e as ProtocolError).details).toMatchObject({ raw, command: 'W X' });
      }
    },
  );

  it.each([
    ['N', false],
    ['B', true],
    ['N\r\n', false],
    [':A B', true],
    [':AN', false],
    [':A NB', true],
    [':A N N ', false],
  ])('busy %j → %s', (raw, busy) => {
    expect(parseAsiBusy(raw)).toBe(busy);
  });

  it('busy: a bare :A (Tiger RS quirk) and junk are ProtocolErrors, :N-n a DeviceError', () => {
    expect(() => parseAsiBusy(':A')).toThrow(ProtocolError);
    expect(() => parseAsiBusy('X')).toThrow(ProtocolError);
    expect(() => parseAsiBusy(':N-1')).toThrow(DeviceError);
  });

  it.each([
    [':A 12345.6 -78 ', 2, [12345.6, -78]],
    [':A 0 ', 1, [0]],
    [':A -1e3 5 6', 2, [-1000, 5]],
  ])('numbers %j', (raw, n, values) => {
    expect(parseAsiNumbers(raw, 'W X Y', n)).toEqual(values);
  });

  it('numbers: too few or non-numeric values are ProtocolErrors', () => {
    expect(() => parseAsiNumbers(':A 5 ', 'W X Y', 2)).toThrow(/2|expected/);
    expect(() => parseAsiNumbers(':A 5 abc', 'W X Y', 2)).toThrow(ProtocolError);
  });

  it.each([
    [':A X=10000 Y=2000.5', { X: 10000, Y: 2000.5 }],
    [':A x=1 ', { X: 1 }],
    [':A Z = -3', { Z: -3 }],
  ])('axis values %j', (raw, values) => {
    expect(parseAsiAxisValues(raw, 'UM X?')).toEqual(values);
  });

  it('axis values: none, or a non-number, is a ProtocolError', () => {
    expect(() => parseAsiAxisValues(':A', 'UM X?')).toThrow(ProtocolError);
    expect(() => parseAsiAxisValues(':A X=abc', 'UM X?')).toThrow(ProtocolError);
  });
});

describe('ASI units', () => {
  it.each([
    // µm, units per mm, controller units
    [1000, 10_000, 10_000],
    [0.1, 10_000, 1],
    [-250, 10_000, -2_500],
    [1000, 1_000, 1_000],
    [1000, 20_000, 20_000],
  ])('%f µm at %i/mm = %f units, and back', (um, upm, units) => {
    expect(umToAsiUnits(um, upm)).toBeCloseTo(units, 9);
    expect(asiUnitsToUm(units, upm)).toBeCloseTo(um, 9);
  });

  it.each([
    [12345, '12345'],
    [12345.64, '12345.6'],
    [-0.04, '0'],
    [-2.25, '-2.2'],
    [1e7, '10000000'],
  ])('formats %f as %j', (units, text) => {
    expect(formatAsiUnits(units)).toBe(text);
  });
});
