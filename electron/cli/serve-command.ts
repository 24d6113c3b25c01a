import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StateError, ValidationError } from '../../drivers/errors';
import { loadConfig } from '../config/load';
import { expandHome } from '../host/acquisition-service';
import { installProcessGuards } from '../host/process-guards';
import { generateToken } from '../remote/auth';
import { startRemoteServer } from '../remote/http-server';
import { createSupervisedHost } from '../safety/supervisor/supervised-host';
import { flagInt, flagString, parseArgs } from './args';
import { writeSession } from './session-file';
import type { CliCommand } from './types';
import { ensureUsableDir } from './usable-dir';

export const DEFAULT_PORT = 8420;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const serveCommand: CliCommand = {
  name: 'serve',
  usage: 'aquila serve [--config FILE] [--port N] [--datasets DIR] [--ui DIR]',
  summary: `Run the host headless and serve the UI and API on 127.0.0.1 (default port ${DEFAULT_PORT}; 0 = any free port). Token from AQUILA_TOKEN or generated. --datasets overrides the config's datasets folder (as acquire --out does).`,
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['config', 'port', 'datasets', 'ui'] });
    if (args.positionals.length > 0)
      throw new ValidationError(
        `unexpected argument "${args.positionals[0]}"; usage: ${serveCommand.usage}`,
      );
    const port = flagInt(args, 'port', DEFAULT_PORT, 65_535);
    const uiRoot = path.resolve(flagString(args, 'ui') ?? path.join(repoRoot, 'dist/renderer'));
    const loaded = await loadConfig(flagString(args, 'config'));
    const datasets = flagString(args, 'datasets');
    if (datasets) loaded.config.storage.datasetsRoot = ensureUsableDir(datasets, '--datasets');
    else {
      // The configured folder may come later (a share not mounted yet): say so, serve anyway.
      try {
        ensureUsableDir(
          expandHome(loaded.config.storage.datasetsRoot),
          `${loaded.path}: storage.datasetsRoot`,
        );
      } catch (err) {
        io.err(`warning: ${(err as Error).message}; acquisitions will fail until it is usable`);
      }
    }
    if (!existsSync(path.join(uiRoot, 'index.html')))
      io.err(`note: the UI is not built in ${uiRoot} (npm run build:renderer); the API works`);
    const host = await createSupervisedHost(loaded);
    const server = await startRemoteServer({
      host,
      token: process.env.AQUILA_TOKEN || generateToken(),
      port,
      uiRoot,
    }).catch(async (err: unknown) => {
      await host.shutdown('server failed to start');
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES')
        throw new StateError(`cannot listen on 127.0.0.1:${port} (${code}): choose another --port`);
      throw err;
    });
    const removeSession = writeSession(
      {
        url: server.url,
        token: new URL(server.loginUrl).searchParams.get('token') ?? '',
        pid: process.pid,
      },
      server.port,
    );
    installProcessGuards(host, {
      exitWithParent: true,
      beforeExit: async () => {
        removeSession();
        await server.close();
      },
    });
    io.out(`Aquila ready at ${server.loginUrl}`);
    await new Promise(() => undefined); // runs until a signal; the guards shut down and exit
    return 0;
  },
};
