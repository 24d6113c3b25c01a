/** The CLI's command table. Each subcommand lives in its own module. */
import { acquireCommand } from './acquire-command';
import { autofocusCommand, roisCommand } from './automation/analysis-commands';
import { automateCommand } from './automation/automate-command';
import { callCommand } from './call-command';
import { command as planCommand } from './commands/plan';
import { command as portsCommand } from './commands/ports';
import { command as uploadCommand } from './commands/upload';
import { serveCommand } from './serve-command';
import type { CliCommand } from './types';

export const cliCommands: CliCommand[] = [
  serveCommand,
  callCommand,
  planCommand,
  acquireCommand,
  automateCommand,
  autofocusCommand,
  roisCommand,
  uploadCommand,
  portsCommand,
];
