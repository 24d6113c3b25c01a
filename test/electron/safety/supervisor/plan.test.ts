import { describe, expect, it } from 'vitest';
import type { DeviceSpec } from '../../../../electron/config/schema';
import { PlanError, parsePlan } from '../../../../electron/safety/supervisor/plan';
import { planFromConfig } from '../../../../electron/safety/supervisor/plan-from-config';

const spec = (
  id: string,
  kind: DeviceSpec['kind'],
  driver: string,
  options: Record<string, unknown> = {},
): DeviceSpec => ({ id, kind, driver, options });

describe('supervisor plan from the config', () => {
  it('one entry per serial port, with each driver’s own defaults; XY and Z of one controller share it', () => {
    const { plan, notCovered } = planFromConfig(
      [
        spec('stage', 'xy-stage', 'prior-proscan', { port: '/dev/ttyUSB0' }),
        spec('focus', 'z-drive', 'prior-proscan', { port: '/dev/ttyUSB0' }),
        spec('l488', 'laser', 'obis', { port: '/dev/ttyACM0' }),
        spec('l561', 'laser', 'cobolt', { port: '/dev/ttyUSB1', baudRate: 9600 }),
        spec('camera', 'camera', 'sim'),
      ],
      42,
      '/reports',
    );
    expect(plan).toEqual({
      hostPid: 42,
      reportDir: '/reports',
      devices: [
        {
          role: 'stage',
          driver: 'prior-proscan',
          ids: ['stage', 'focus'],
          port: '/dev/ttyUSB0',
          baudRate: 9600,
          stopBits: 1,
        },
        {
          role: 'laser',
          driver: 'obis',
          ids: ['l488'],
          port: '/dev/ttyACM0',
          baudRate: 115_200,
          stopBits: 1,
        },
        {
          role: 'laser',
          driver: 'cobolt',
          ids: ['l561'],
          port: '/dev/ttyUSB1',
          baudRate: 9600,
          stopBits: 1,
        },
      ],
    });
    expect(notCovered).toEqual([]);
  });

  it('names what it cannot reach: simulated devices, in-host wire simulators', () => {
    const { plan, notCovered } = planFromConfig(
      [
        spec('stage', 'xy-stage', 'sim'),
        spec('l488', 'laser', 'obis', { port: 'sim:obis' }),
        spec('other', 'laser', 'acme-laser', { port: '/dev/ttyS0' }),
      ],
      1,
      '/r',
    );
    expect(plan.devices).toEqual([]);
    expect(notCovered).toEqual([
      { id: 'stage', why: 'simulated in the host (ends with it)' },
      { id: 'l488', why: 'wire simulator "sim:obis" runs inside the host' },
      { id: 'other', why: 'no supervisor command for driver "acme-laser"' },
    ]);
  });
});

describe('supervisor plan line', () => {
  const good = {
    hostPid: 7,
    reportDir: '/r',
    devices: [
      { role: 'laser', driver: 'cobolt', ids: ['l'], port: '/dev/x', baudRate: 9600, stopBits: 1 },
    ],
  };

  it('round-trips what the host sends', () => {
    expect(parsePlan(JSON.stringify(good))).toEqual(good);
  });

  it.each([
    ['not json', /^plan: not JSON/],
    ['[]', /^plan: expected a JSON object/],
    [JSON.stringify({ ...good, hostPid: 0 }), /^plan\.hostPid: expected a process id, got 0/],
    [
      JSON.stringify({ ...good, devices: [{ ...good.devices[0], driver: 'prior-proscan' }] }),
      /^plan\.devices\[0\]\.driver: expected one of obis, cobolt, got "prior-proscan"/,
    ],
    [
      JSON.stringify({ ...good, devices: [{ ...good.devices[0], stopBits: 3 }] }),
      /^plan\.devices\[0\]\.stopBits: expected 1 or 2, got 3/,
    ],
    [
      JSON.stringify({ ...good, devices: [{ ...good.devices[0], ids: [] }] }),
      /^plan\.devices\[0\]\.ids: expected a non-empty list/,
    ],
  ])('refuses %s naming the field', (line, message) => {
    expect(() => parsePlan(line)).toThrow(PlanError);
    expect(() => parsePlan(line)).toThrow(message);
  });
});
