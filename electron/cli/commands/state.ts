/** `aquila state` — the running host's full state snapshot (`AppState`) as one JSON line. */
import { ValidationError } from '../../../drivers/errors';
import { parseArgs } from '../args';
import { findHost, requestHost } from '../host-client';
import type { CliCommand } from '../types';

export const command: CliCommand = {
  name: 'state',
  usage: 'aquila state',
  summary:
    "Print the running host's state (AppState: stage, focus, lasers, camera, run, datasets, uploads) as one JSON line.",
  async run(argv, io) {
    if (parseArgs(argv).positionals.length > 0)
      throw new ValidationError('usage: aquila state (takes no arguments)');
    const { status, json } = await requestHost(findHost(), '/api/state');
    const body = json as { state?: unknown };
    if (status !== 200 || body.state === undefined)
      throw new ValidationError(`GET /api/state answered HTTP ${status}: ${JSON.stringify(json)}`);
    io.out(JSON.stringify(body.state));
    return 0;
  },
};
