/** GVCP and the GenICam node map against Aravis's fake GigE Vision camera (an independent implementation). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadcastAddressOf, discoverGige } from '../../../../drivers/cameras/gige/discovery';
import { GigeControl, parseXmlUrl } from '../../../../drivers/cameras/gige/gige-control';
import { GvcpClient } from '../../../../drivers/cameras/gige/gvcp';
import {
  ARAVIS_FAKE_START_TIMEOUT_MS,
  aravisFakeAvailable,
  startAravisFake,
  type AravisFake,
} from '../../../support/aravis-fake';

describe('broadcastAddressOf', () => {
  const v4 = (address: string, netmask: string) => ({
    address,
    netmask,
    family: 'IPv4' as const,
    mac: '00:00:00:00:00:00',
    internal: false,
    cidr: null,
  });
  it('computes the subnet broadcast address of an interface', () => {
    expect(broadcastAddressOf('eth1', { eth1: [v4('192.168.10.7', '255.255.255.0')] })).toBe(
      '192.168.10.255',
    );
    expect(broadcastAddressOf('lo', { lo: [v4('127.0.0.1', '255.0.0.0')] })).toBe(
      '127.255.255.255',
    );
  });
  it('names the interfaces there are when the one asked for has no IPv4 address', () => {
    expect(() => broadcastAddressOf('eth9', { eth1: [] })).toThrow(
      /"eth9" has no IPv4 address \(interfaces: eth1\)/,
    );
  });
});

describe('parseXmlUrl', () => {
  it('reads Local: URLs with hex address and length', () => {
    expect(parseXmlUrl('Local:arv-fake-camera.xml;10000;3e67')).toEqual({
      fileName: 'arv-fake-camera.xml',
      address: 0x10000,
      length: 0x3e67,
    });
    expect(parseXmlUrl('local:///Dev.zip;0x8000;0x200?SchemaVersion=1.1.0')).toMatchObject({
      fileName: 'Dev.zip',
      address: 0x8000,
    });
  });

  it('refuses URLs it cannot fetch, naming the scheme', () => {
    expect(() => parseXmlUrl('http://example.com/x.xml')).toThrow(/only Local: URLs .* not http:/);
    expect(() => parseXmlUrl('Local:x.xml;zz;1')).toThrow(/not supported/);
  });
});

describe.skipIf(!aravisFakeAvailable())('GigE Vision control against arv-fake-gv-camera', () => {
  let fake: AravisFake;
  let control: GigeControl | null = null;

  beforeAll(async () => {
    fake = await startAravisFake({ serial: 'AQ14' });
  }, ARAVIS_FAKE_START_TIMEOUT_MS);
  afterAll(async () => {
    await control?.close();
    await fake?.stop();
  });

  it('discovers the camera with its identity', async () => {
    const found = await discoverGige({ addresses: [fake.address] });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      ip: '127.0.0.1',
      vendor: 'Aravis',
      model: 'Fake',
      serial: 'AQ14',
    });
    expect(found[0]!.firmware).toMatch(/^0\.8\.\d+$/);
  });

  it('finds nothing where no camera answers', async () => {
    expect(await discoverGige({ addresses: ['127.0.0.2'], windowMs: 150 })).toEqual([]);
  });

  it('opens a control session and loads the camera XML into a node map', async () => {
    control = await GigeControl.open({ address: fake.address });
    expect(control.info).toMatchObject({ vendor: 'Aravis', model: 'Fake', serial: 'AQ14' });
    expect(control.xml.fileName).toMatch(/\.xml$/);
    const map = control.nodeMap;
    expect(await map.getValue('DeviceID')).toBe('AQ14');
    expect(map.features()).toEqual(
      expect.arrayContaining(['Width', 'Height', 'PixelFormat', 'ExposureTimeAbs', 'PayloadSize']),
    );
  });

  it('reads and writes features by name, and the camera holds the written values', async () => {
    const map = control!.nodeMap;
    await map.setValue('Width', 320);
    await map.setValue('Height', 200);
    await map.setValue('PixelFormat', 'Mono16');
    await map.setValue('ExposureTimeAbs', 2500);
    await map.setValue('GainRaw', 7);
    // straight from the registers, past the node map and its cache
    const raw = await GvcpClient.open({ address: fake.address });
    try {
      expect(await raw.readReg(0x100)).toBe(320);
      expect(await raw.readReg(0x104)).toBe(200);
      expect(await raw.readReg(0x128)).toBe(0x01100007);
      expect(await raw.readReg(0x120)).toBe(2500);
      expect(await raw.readReg(0x110)).toBe(7);
    } finally {
      await raw.close();
    }
    expect(await map.getValue('PixelFormat')).toBe('Mono16');
    expect(await map.getValue('PayloadSize')).toBe(320 * 200 * 2);
    await map.setValue('AcquisitionFrameRate', 25);
    expect(await map.getValue('AcquisitionFramePeriod')).toBe(40000);
  });

  it('keeps selector-indexed registers apart', async () => {
    const map = control!.nodeMap;
    await map.setValue('TriggerSelector', 'AcquisitionStart');
    await map.setValue('TriggerMode', 'On');
    await map.setValue('TriggerSelector', 'FrameStart');
    expect(await map.getValue('TriggerMode')).toBe('Off');
    await map.setValue('TriggerSelector', 'AcquisitionStart');
    expect(await map.getValue('TriggerMode')).toBe('On');
    await map.setValue('TriggerMode', 'Off');
    await map.setValue('TriggerSelector', 'FrameStart');
  });

  it('refuses out-of-range values with a clear error and leaves the camera unchanged', async () => {
    const map = control!.nodeMap;
    await expect(map.setValue('Width', 4096)).rejects.toThrow(
      'Width = 4096 is out of range: the camera allows 1 to 2048',
    );
    await expect(map.setValue('GainRaw', 11)).rejects.toMatchObject({ code: 'E_LIMIT' });
    await expect(map.setValue('ExposureTimeAbs', 1)).rejects.toThrow(/allows 10 to 10000000/);
    await expect(map.setValue('PixelFormat', 'Mono12')).rejects.toThrow(
      /no entry "Mono12"; available: .*Mono16/,
    );
    expect(await map.getValue('Width')).toBe(320);
    expect(await map.getValue('GainRaw')).toBe(7);
  });

  it('keeps control with its heartbeat beyond the camera heartbeat timeout', async () => {
    const timeoutMs = await control!.gvcp.readReg(0x938);
    await new Promise((r) => setTimeout(r, timeoutMs + 500));
    expect(control!.isLost()).toBe(false);
    const raw = await GvcpClient.open({ address: fake.address });
    try {
      // the fake drops an idle controller (CCP back to 0) when the next packet arrives
      expect((await raw.readReg(0xa00)) & 2).toBe(2);
    } finally {
      await raw.close();
    }
  }, 15_000);

  it('reports a camera that dies: heartbeat loss and bounded request timeouts', async () => {
    const lost = new Promise<Error>((r) => control!.onLost(r));
    await fake.kill();
    const err = await lost;
    expect(err).toMatchObject({ code: 'E_DISCONNECTED' });
    expect(err.message).toMatch(/GigE camera 127\.0\.0\.1 is not answering/);
    const t0 = Date.now();
    await expect(control!.nodeMap.setValue('GainRaw', 1)).rejects.toMatchObject({
      code: 'E_TIMEOUT',
    });
    expect(Date.now() - t0).toBeLessThan(5_000);
    await control!.close();
    control = null;
    await fake.restart();
  }, 20_000);
});
