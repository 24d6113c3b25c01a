/**
 * Writes assets/configs/aquila-config.schema.json (JSON Schema for editors) from the zod
 * schema in electron/config/schema.ts. `npm run config:schema`; a test fails if the
 * committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { aquilaConfig } from '../electron/config/schema';

export const SCHEMA_PATH = path.resolve(
  import.meta.dirname,
  '../assets/configs/aquila-config.schema.json',
);

export function configJsonSchema(): string {
  const schema = z.toJSONSchema(aquilaConfig, { io: 'input', unrepresentable: 'any' });
  return JSON.stringify({ ...schema, title: 'Aquila configuration' }, null, 2) + '\n';
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  writeFileSync(SCHEMA_PATH, configJsonSchema());
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_PATH)}`);
}
