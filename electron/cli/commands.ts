/**
 * The CLI's command table. Each subcommand lives in its own module, loaded only when it runs
 * (or for `help`): `aquila call` must not pay for importing the host, drivers and writers.
 */
import type { CliCommand } from './types';

export interface CliEntry {
  name: string;
  load(): Promise<CliCommand>;
}

export const cliCommands: CliEntry[] = [
  { name: 'serve', load: async () => (await import('./serve-command')).serveCommand },
  { name: 'call', load: async () => (await import('./call-command')).callCommand },
  { name: 'state', load: async () => (await import('./commands/state')).command },
  { name: 'datasets', load: async () => (await import('./commands/datasets')).command },
  { name: 'plan', load: async () => (await import('./commands/plan')).command },
  { name: 'acquire', load: async () => (await import('./acquire-command')).acquireCommand },
  { name: 'upload', load: async () => (await import('./commands/upload')).command },
  { name: 'analysis', load: async () => (await import('./commands/analysis')).command },
  { name: 'ports', load: async () => (await import('./commands/ports')).command },
  { name: 'users', load: async () => (await import('./commands/users')).command },
  { name: 'audit', load: async () => (await import('./commands/audit')).command },
  {
    name: 'automate',
    load: async () => (await import('./automation/automate-command')).automateCommand,
  },
  {
    name: 'autofocus',
    load: async () => (await import('./automation/analysis-commands')).autofocusCommand,
  },
  { name: 'rois', load: async () => (await import('./automation/analysis-commands')).roisCommand },
  { name: 'cameras', load: async () => (await import('./commands/cameras')).command },
  { name: 'run', load: async () => (await import('./commands/run')).command },
];
