import { describe, expect, it } from 'vitest';
import { DeviceError, ProtocolError } from '../../../../drivers/errors';
import {
  checkPriorAck,
  isPriorError,
  parsePriorNumber,
  parsePriorNumbers,
  parsePriorResolution,
  parsePriorStatus,
  priorDeviceError,
  priorUnitsToUm,
  umToPriorUnits,
} from '../../../../drivers/stages/prior/prior-protocol';

describe('Prior reply parsing', () => {
  it.each([
    ['E,4', 4, 'invalid or corrupt message (command not understood)'],
    ['E,8', 8, 'value out of range'],
    ['E,18', 18, 'command queue full'],
    ['E 21', 21, 'undocumented error code (see the ProScan III manual error table)'],
    ['e,5\r', 5, 'undocumented error code (see the ProScan III manual error table)'],
  ])('%j → DeviceError code %i "%s"', (line, code, meaning) => {
    expect(isPriorError(line)).toBe(true);
    const err = priorDeviceError(line, 'G,1,2');
    expect(err).toBeInstanceOf(DeviceError);
    expect(err?.details).toMatchObject({ vendorCode: code, meaning, command: 'G,1,2' });
    expect(() => parsePriorNumber(line, 'PX')).toThrow(DeviceError);
  });

  it.each(['R', '0', 'END', 'E', 'E,', 'ERR'])('%j is not an error line', (line) => {
    expect(isPriorError(line)).toBe(false);
    expect(priorDeviceError(line, 'X')).toBeUndefined();
  });

  it.each([
    ['1234', 1, [1234]],
    ['-5', 1, [-5]],
    ['1,2,3', 3, [1, 2, 3]],
    ['10 ,-20; 30', 3, [10, -20, 30]],
    ['1.5\r', 1, [1.5]],
  ])('numbers %j', (raw, n, values) => {
    expect(parsePriorNumbers(raw, 'P', n)).toEqual(values);
  });

  it.each([
    ['', 1],
    ['1,2', 3],
    ['abc', 1],
    ['R', 1],
  ])('numbers %j (%i wanted) is a ProtocolError with the raw bytes', (raw, n) => {
    expect(() => parsePriorNumbers(raw, 'P', n)).toThrow(ProtocolError);
  });

  it.each([
    ['0', { x: false, y: false, z: false }],
    ['1', { x: true, y: false, z: false }],
    ['3', { x: true, y: true, z: false }],
    ['4', { x: false, y: false, z: true }],
    ['71', { x: true, y: true, z: true }],
  ])('status %j', (raw, bits) => {
    expect(parsePriorStatus(raw)).toEqual(bits);
  });

  it('status: a fraction or negative is a ProtocolError', () => {
    expect(() => parsePriorStatus('1.5')).toThrow(ProtocolError);
    expect(() => parsePriorStatus('-1')).toThrow(ProtocolError);
  });

  it.each([
    ['1.000000', 1],
    ['0.1', 0.1],
    ['0', 0.1],
  ])('resolution %j → %f µm/unit', (raw, v) => {
    expect(parsePriorResolution(raw, 'RES,s')).toBe(v);
  });

  it('acks', () => {
    expect(() => checkPriorAck('0', 'COMP 0', '0')).not.toThrow();
    expect(() => checkPriorAck('R', 'K', 'R')).not.toThrow();
    expect(() => checkPriorAck('1', 'COMP 0', '0')).toThrow(ProtocolError);
    expect(() => checkPriorAck('E,4', 'COMP 0', '0')).toThrow(DeviceError);
  });
});

describe('Prior units', () => {
  it.each([
    [100, 1, 100],
    [100, 0.1, 1000],
    [0.04, 0.1, 0],
    [-0.04, 0.1, 0],
    [12.36, 0.5, 25],
  ])('%f µm at %f µm/unit = %i units', (um, res, units) => {
    expect(umToPriorUnits(um, res)).toBe(units);
    expect(Object.is(umToPriorUnits(um, res), -0)).toBe(false);
  });

  it('units → µm', () => {
    expect(priorUnitsToUm(1000, 0.1)).toBeCloseTo(100, 9);
    expect(priorUnitsToUm(-3, 2)).toBe(-6);
  });
});
