import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AquilaError } from '../../drivers/errors';
import { formatIssues } from '../../drivers/validation';
import { aquilaConfig, type AquilaConfig } from './schema';

/** A config file that cannot be read, parsed or validated. The message names the file and each field. */
export class ConfigError extends AquilaError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_CONFIG', message, details);
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** The all-simulated default configuration shipped with the app. */
export const DEFAULT_CONFIG_PATH = path.resolve(here, '../../assets/configs/simulated.json');

export interface LoadedConfig {
  path: string;
  config: AquilaConfig;
}

export function parseConfig(text: string, file: string): AquilaConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`Config ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const result = aquilaConfig.safeParse(json);
  if (!result.success) {
    const problems = formatIssues(result.error);
    throw new ConfigError(`Config ${file} is invalid:\n  ${problems.join('\n  ')}`, {
      file,
      problems,
    });
  }
  return result.data;
}

export async function loadConfig(file: string = DEFAULT_CONFIG_PATH): Promise<LoadedConfig> {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `Cannot read config ${abs}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return { path: abs, config: parseConfig(text, abs) };
}
