/** The CLI's command table. Each subcommand lives in its own module. */
import { acquireCommand } from './acquire-command';
import { callCommand } from './call-command';
import { command as planCommand } from './commands/plan';
import { serveCommand } from './serve-command';
import type { CliCommand } from './types';

export const cliCommands: CliCommand[] = [serveCommand, callCommand, planCommand, acquireCommand];
