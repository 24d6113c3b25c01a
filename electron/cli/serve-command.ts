import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/load';
import { installProcessGuards } from '../host/process-guards';
import { generateToken } from '../remote/auth';
import { startRemoteServer } from '../remote/http-server';
import { createSupervisedHost } from '../safety/supervisor/supervised-host';
import { flagInt, flagString, parseArgs } from './args';
import { writeSession } from './session-file';
import type { CliCommand } from './types';

export const DEFAULT_PORT = 8420;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const serveCommand: CliCommand = {
  name: 'serve',
  usage: 'aquila serve [--config FILE] [--port N] [--ui DIR]',
  summary: `Run the host headless and serve the UI and API on 127.0.0.1 (default port ${DEFAULT_PORT}; 0 = any free port). Token from AQUILA_TOKEN or generated.`,
  async run(argv, io) {
    const args = parseArgs(argv);
    const loaded = await loadConfig(flagString(args, 'config'));
    const host = await createSupervisedHost(loaded);
    const server = await startRemoteServer({
      host,
      token: process.env.AQUILA_TOKEN || generateToken(),
      port: flagInt(args, 'port', DEFAULT_PORT),
      uiRoot: path.resolve(flagString(args, 'ui') ?? path.join(repoRoot, 'dist/renderer')),
    }).catch(async (err: unknown) => {
      await host.shutdown('server failed to start');
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
