import { ValidationError } from '../../drivers/errors';
import { isCommandName } from '../api/contract';
import { parseArgs } from './args';
import { findHost, requestHost, type HostOutcome } from './host-client';
import type { CliCommand } from './types';

export const callCommand: CliCommand = {
  name: 'call',
  usage: "aquila call <command> ['<json params>']",
  summary:
    'Run one API command on a running host (AQUILA_URL / AQUILA_TOKEN, or the session left by `aquila serve`). Prints the JSON result.',
  async run(argv, io) {
    const [name, params, ...extra] = parseArgs(argv).positionals;
    if (!name || extra.length > 0)
      throw new ValidationError(
        'call needs a command name and at most one JSON argument, e.g. aquila call stage.moveTo \'{"xUm":0,"yUm":0}\'',
      );
    if (!isCommandName(name))
      throw new ValidationError(`Unknown command "${name}"; run "aquila help" for the list`);
    let body = '{}';
    if (params !== undefined) {
      try {
        body = JSON.stringify(JSON.parse(params));
      } catch (err) {
        throw new ValidationError(
          `Parameters for ${name} are not valid JSON: ${(err as Error).message}`,
        );
      }
    }
    const { json } = await requestHost(
      findHost(),
      `/api/commands/${encodeURIComponent(name)}`,
      body,
    );
    const outcome = json as HostOutcome;
    if (!outcome.ok) {
      io.err(`${outcome.error?.code}: ${outcome.error?.message}`);
      return 1;
    }
    io.out(JSON.stringify(outcome.value));
    return 0;
  },
};
