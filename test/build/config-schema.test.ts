import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, SCHEMA_PATH } from '../../build/config-schema';

describe('config JSON Schema', () => {
  it('the committed schema matches the zod schema (run npm run config:schema after changing it)', () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(configJsonSchema());
  });

  it('describes the device kinds and the limits', () => {
    const schema = JSON.parse(configJsonSchema());
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'devices', 'limits']));
    expect(schema.properties.devices.items.properties.kind.enum).toEqual([
      'xy-stage',
      'z-drive',
      'laser',
      'camera',
      'focus-sensor',
    ]);
  });
});
