/** The CLI's command table. Each subcommand lives in its own module. */
import { callCommand } from './call-command';
import { serveCommand } from './serve-command';
import type { CliCommand } from './types';

export const cliCommands: CliCommand[] = [serveCommand, callCommand];
