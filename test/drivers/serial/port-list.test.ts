import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listSerialPorts, scanDeviceFiles } from '../../../drivers/serial/port-list';

describe('serial port discovery without udev', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  async function fakeMachine() {
    const root = await mkdtemp(path.join(os.tmpdir(), 'aquila-ports-'));
    dirs.push(root);
    const dev = path.join(root, 'dev');
    const sys = path.join(root, 'sys');
    await mkdir(path.join(dev, 'serial', 'by-id'), { recursive: true });
    for (const f of [
      'ttyUSB0',
      'ttyACM1',
      'ttyS0',
      'ttyS1',
      'tty1',
      'null',
      'ttyAMA0',
      'rfcomm0',
    ]) {
      await writeFile(path.join(dev, f), '');
    }
    await symlink('../../ttyUSB0', path.join(dev, 'serial', 'by-id', 'usb-FTDI_FT232R-if00'));
    await symlink('../../ttyUSB9', path.join(dev, 'serial', 'by-id', 'usb-gone-if00'));
    for (const [name, subsystem] of [
      ['ttyS0', 'platform'],
      ['ttyS1', 'pnp'],
    ] as const) {
      await mkdir(path.join(sys, name, 'device'), { recursive: true });
      await mkdir(path.join(sys, 'bus', subsystem), { recursive: true });
      await symlink(path.join(sys, 'bus', subsystem), path.join(sys, name, 'device', 'subsystem'));
    }
    return { dev, sys };
  }

  it('finds USB/ACM/AMA/rfcomm ports and only real legacy UARTs, with by-id names', async () => {
    const { dev, sys } = await fakeMachine();
    const ports = await scanDeviceFiles({ devDir: dev, sysClassTtyDir: sys, platform: 'linux' });
    expect(ports.map((p) => path.basename(p.path))).toEqual([
      'rfcomm0',
      'ttyACM1',
      'ttyAMA0',
      'ttyS1',
      'ttyUSB0',
    ]);
    expect(ports.find((p) => p.path.endsWith('ttyUSB0'))?.byId).toMatch(/usb-FTDI_FT232R-if00$/);
  });

  it('falls back to the scan with a note when the system lister fails or hangs', async () => {
    const { dev, sys } = await fakeMachine();
    const failing = await listSerialPorts({
      devDir: dev,
      sysClassTtyDir: sys,
      platform: 'linux',
      system: () => Promise.reject(new Error('spawn udevadm ENOENT')),
    });
    expect(failing.warnings[0]).toMatch(/udevadm ENOENT/);
    expect(failing.ports).toHaveLength(5);
    const hanging = await listSerialPorts({
      devDir: dev,
      sysClassTtyDir: sys,
      platform: 'linux',
      system: () => new Promise(() => undefined),
      systemTimeoutMs: 50,
    });
    expect(hanging.warnings[0]).toMatch(/no answer within 50 ms/);
    expect(hanging.ports.every((p) => p.source === 'scan')).toBe(true);
  });

  it('merges system details with scan results without duplicates', async () => {
    const { dev, sys } = await fakeMachine();
    const usb0 = path.join(dev, 'ttyUSB0');
    const { ports, warnings } = await listSerialPorts({
      devDir: dev,
      sysClassTtyDir: sys,
      platform: 'linux',
      system: async () => [
        { path: usb0, manufacturer: 'FTDI', vendorId: '0403', productId: '6001' },
      ],
    });
    expect(warnings).toEqual([]);
    expect(ports[0]).toMatchObject({ path: usb0, manufacturer: 'FTDI', source: 'system' });
    expect(ports[0]?.byId).toMatch(/FT232R/);
    expect(ports.filter((p) => p.path === usb0)).toHaveLength(1);
  });
});
