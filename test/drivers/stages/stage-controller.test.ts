/** Sharing one controller between the XY and Z device entries of a config. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../drivers/errors';
import { moveTimeoutMs } from '../../../drivers/stages/stage-controller';
import { createStageDevice, newContext } from './wire-stage-fixture';
import type { ControllerXYStage, ControllerZDrive } from '../../../drivers/stages/stage-controller';

describe('stage controller sharing', () => {
  it('XY and Z entries on one port share one controller; another host gets its own', () => {
    const ctx = newContext();
    const xy = createStageDevice(
      'asi-tiger',
      'xy-stage',
      { port: '/dev/ttyUSB7' },
      ctx,
    ) as ControllerXYStage;
    const z = createStageDevice(
      'asi-tiger',
      'z-drive',
      { port: '/dev/ttyUSB7' },
      ctx,
    ) as ControllerZDrive;
    expect(z.shared).toBe(xy.shared);
    const other = createStageDevice(
      'asi-tiger',
      'z-drive',
      { port: '/dev/ttyUSB7' },
      newContext(),
    ) as ControllerZDrive;
    expect(other.shared).not.toBe(xy.shared);
  });

  it.each([
    ['a different baud rate', 'asi-tiger', { port: '/dev/ttyUSB7', baudRate: 9600 }],
    ['a different driver', 'asi-ms2000', { port: '/dev/ttyUSB7' }],
    ['different axes', 'asi-tiger', { port: '/dev/ttyUSB7', axes: { z: 'F' } }],
  ])('refuses a second entry on the same port with %s', (_what, driver, options) => {
    const ctx = newContext();
    createStageDevice('asi-tiger', 'xy-stage', { port: '/dev/ttyUSB7' }, ctx);
    expect(() => createStageDevice(driver, 'z-drive', options, ctx)).toThrow(ValidationError);
    expect(() => createStageDevice(driver, 'z-drive', options, ctx)).toThrow(
      /already used.*different settings/,
    );
  });

  it.each([
    ['asi-ms2000', { port: '' }, /options\.port|port/],
    ['asi-ms2000', { port: 'x', baudRate: 1234 }, /baudRate/],
    ['asi-tiger', { port: 'x', axes: { x: 'XY' } }, /axes\.x: one axis letter/],
    ['prior-proscan', { port: 'x', stopBits: 3 }, /stopBits/],
    ['prior-proscan', { port: 'x', speed: 1 }, /speed/],
    ['asi-tiger', { port: 'sim:nope' }, /unknown wire simulator "nope"/],
  ])('%s rejects bad options %j with a message naming the field', (driver, options, message) => {
    expect(() => createStageDevice(driver, 'xy-stage', options, newContext())).toThrow(message);
  });
});

describe('move-length timeout', () => {
  it.each([
    [0, 1000, 3000, 3000],
    [1000, 1000, 3000, 5000],
    [-1000, 500, 100, 4100],
    [10, 0, 100, 100],
  ])('%f µm at %f µm/s + %i ms margin → %i ms', (um, speed, margin, ms) => {
    expect(moveTimeoutMs(um, speed, margin)).toBe(ms);
  });
});
