/** A host on the small simulated microscope for macro tests, with a temp data folder and library. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MacroView } from '../../electron/api/contract';
import { parseConfig } from '../../electron/config/load';
import { createHost, type Host, type HostOptions } from '../../electron/host/host';
import { silentLogger } from '../../electron/host/logger';
import { EXAMPLES_DIR } from '../../electron/macros/macro-library';
import { smallSimConfig } from './host-fixture';
import { tempDir } from './temp-dir';

export const MACRO_CTX = { clientId: 'test', transport: 'internal' as const };

export async function macroHost(
  config: object = smallSimConfig(),
  options: HostOptions = {},
): Promise<Host & { userMacros: string }> {
  const dataDir = tempDir('aquila-macro-');
  const userMacros = path.join(dataDir, 'macros');
  mkdirSync(userMacros);
  const host = await createHost(
    { path: '/test/config.json', config: parseConfig(JSON.stringify(config), 'test') },
    {
      log: silentLogger,
      dataDir,
      macroLibrary: { examples: EXAMPLES_DIR, user: userMacros },
      ...options,
    },
  );
  host.store.update((s) => {
    s.storage.datasetsRoot = dataDir;
  });
  return Object.assign(host, { userMacros });
}

/** Starts a macro through the API; returns its id. */
export async function startMacro(host: Host, args: Record<string, unknown>): Promise<string> {
  const r = await host.call('macro.start', args, MACRO_CTX);
  if (!r.ok) throw new Error(`macro.start: ${r.error.code} ${r.error.message}`);
  return (r.value as { id: string }).id;
}

/** Runs `source` as a macro through the API and waits for its end. */
export async function runMacro(
  host: Host,
  source: string,
  extra: Record<string, unknown> = {},
): Promise<MacroView> {
  return host.macros.whenDone(await startMacro(host, { source, ...extra }));
}

export function writeUserMacro(host: { userMacros: string }, file: string, source: string): void {
  writeFileSync(path.join(host.userMacros, file), source);
}
