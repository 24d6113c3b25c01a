import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../drivers/errors';
import { formatTigerBuild, parseTigerBuild } from '../../../../drivers/stages/asi/tiger-build';

describe('Tiger BU X discovery', () => {
  it('parses axes, types and card addresses from a \\r-separated reply', () => {
    const raw =
      'TIGER_COMM\rMotor Axes: X Y Z F\rAxis Types: x x z z\rAxis Addr: 1 1 2 3\rHex Addr: 31 31 32 33\rAxis Props: 74 10 1 1\r\n';
    expect(parseTigerBuild(raw)).toEqual({
      buildName: 'TIGER_COMM',
      axes: [
        { letter: 'X', type: 'x', cardAddress: '1' },
        { letter: 'Y', type: 'x', cardAddress: '1' },
        { letter: 'Z', type: 'z', cardAddress: '2' },
        { letter: 'F', type: 'z', cardAddress: '3' },
      ],
    });
  });

  it('ignores unknown lines and tolerates a leading :A', () => {
    const raw = ':A TIGER_COMM\rNew Field: 1\rMotor Axes: Z\rAxis Types: p\rAxis Addr: 4\r\n';
    const b = parseTigerBuild(raw);
    expect(b.buildName).toBe('TIGER_COMM');
    expect(b.axes).toEqual([{ letter: 'Z', type: 'p', cardAddress: '4' }]);
  });

  it.each([
    ['TIGER_COMM\r\n', /lacks/],
    ['TIGER_COMM\rMotor Axes: X Y\rAxis Types: x\rAxis Addr: 1 1\r\n', /2 axes but 1 types/],
  ])('rejects %j', (raw, message) => {
    expect(() => parseTigerBuild(raw)).toThrow(ProtocolError);
    expect(() => parseTigerBuild(raw)).toThrow(message);
  });

  it('format and parse round-trip (the simulator uses format)', () => {
    const build = {
      buildName: 'TIGER_COMM',
      axes: [
        { letter: 'X', type: 'x', cardAddress: '1' },
        { letter: 'Z', type: 'z', cardAddress: '2' },
      ],
    };
    const text = formatTigerBuild(build);
    expect(text).toContain('Hex Addr: 31 32');
    expect(parseTigerBuild(`${text}\r\n`)).toEqual(build);
  });
});
