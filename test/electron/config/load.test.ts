import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_CONFIG_PATH,
  loadConfig,
  parseConfig,
} from '../../../electron/config/load';
import { tempDir } from '../../support/temp-dir';

const valid = {
  name: 't',
  devices: [
    { id: 'stage', kind: 'xy-stage', driver: 'sim' },
    { id: 'l488', kind: 'laser', driver: 'sim', options: { wavelengthNm: 488, maxPowerMw: 10 } },
  ],
  limits: { xUm: { min: -1, max: 1 }, yUm: { min: -1, max: 1 }, zUm: { min: -1, max: 1 } },
};

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('loads the shipped simulated configuration', async () => {
    const { config, path: p } = await loadConfig(DEFAULT_CONFIG_PATH);
    expect(p).toBe(DEFAULT_CONFIG_PATH);
    expect(config.devices.map((d) => d.kind).sort()).toEqual([
      'camera',
      'laser',
      'laser',
      'laser',
      'laser',
      'xy-stage',
      'z-drive',
    ]);
    expect(config.channels.length).toBeGreaterThan(0);
  });

  it('applies defaults', () => {
    const cfg = parseConfig(JSON.stringify(valid), 'x.json');
    expect(cfg.devices[0]!.options).toEqual({});
    expect(cfg.channels).toEqual([]);
    expect(cfg.sim.seed).toBe(1);
  });

  it('names the file, the field path and what was expected', () => {
    const bad = { ...valid, devices: [{ ...valid.devices[0], kind: 'teleporter' }] };
    const err = errorOf(() => parseConfig(JSON.stringify(bad), '/etc/aquila/bad.json'));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.code).toBe('E_CONFIG');
    expect(err.message).toContain('/etc/aquila/bad.json');
    expect(err.message).toMatch(/devices\[0\]\.kind: .*xy-stage/);
  });

  it('rejects min >= max, unknown keys, duplicate ids and channels naming a missing laser', () => {
    const bad = {
      ...valid,
      extra: 1,
      limits: { ...valid.limits, zUm: { min: 5, max: 5 } },
      devices: [...valid.devices, { id: 'stage', kind: 'camera', driver: 'sim' }],
      channels: [{ name: 'GFP', laserId: 'l561', powerMw: 1, exposureMs: 10 }],
    };
    const msg = errorOf(() => parseConfig(JSON.stringify(bad), 'c.json')).message;
    expect(msg).toMatch(/limits\.zUm.*min must be less than max/);
    expect(msg).toMatch(/Unrecognized key.*extra/i);
    expect(msg).toMatch(/devices\[2\]\.id: duplicate device id "stage"/);
    expect(msg).toMatch(/channels\[0\]\.laserId: "l561" is not a configured laser/);
  });

  it('stage.travelUm: optional; the safety limits must lie inside it, per axis', () => {
    const travelUm = { xUm: { min: -2, max: 2 }, yUm: { min: -1, max: 1 } };
    expect(parseConfig(JSON.stringify({ ...valid, stage: { travelUm } }), 'c.json').stage).toEqual({
      travelUm,
    });
    expect(parseConfig(JSON.stringify(valid), 'c.json').stage).toBeUndefined();
    const outside = {
      ...valid,
      stage: { travelUm: { ...travelUm, yUm: { min: -0.5, max: 1 } } },
    };
    const msg = errorOf(() => parseConfig(JSON.stringify(outside), 'c.json')).message;
    expect(msg).toMatch(
      /limits\.yUm: limits\.yUm \[-1, 1\] lies outside stage\.travelUm\.yUm \[-0\.5, 1\]/,
    );
    expect(msg).not.toMatch(/limits\.xUm/);
    const beyondMax = {
      ...valid,
      stage: { travelUm: { ...travelUm, xUm: { min: -2, max: 0.5 } } },
    };
    expect(errorOf(() => parseConfig(JSON.stringify(beyondMax), 'c.json')).message).toMatch(
      /limits\.xUm \[-1, 1\] lies outside stage\.travelUm\.xUm \[-2, 0\.5\]/,
    );
    const badRange = { ...valid, stage: { travelUm: { ...travelUm, xUm: { min: 3, max: 2 } } } };
    expect(errorOf(() => parseConfig(JSON.stringify(badRange), 'c.json')).message).toMatch(
      /stage\.travelUm\.xUm: min must be less than max/,
    );
  });

  it('reports JSON syntax errors and unreadable files with the path', async () => {
    expect(errorOf(() => parseConfig('{"name": ', 'broken.json')).message).toMatch(
      /broken\.json is not valid JSON/,
    );
    const dir = tempDir('aquila-cfg-');
    await expect(loadConfig(path.join(dir, 'missing.json'))).rejects.toThrow(
      /Cannot read config .*missing\.json: ENOENT/,
    );
    const f = path.join(dir, 'ok.json');
    writeFileSync(f, JSON.stringify(valid));
    await expect(loadConfig(f)).resolves.toMatchObject({ path: f });
  });
});
