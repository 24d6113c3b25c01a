import { AuthError, StateError, ValidationError } from '../../drivers/errors';
import { isCommandName } from '../api/contract';
import { readSession } from './session-file';
import type { CliCommand } from './types';

export const callCommand: CliCommand = {
  name: 'call',
  usage: "aquila call <command> ['<json params>']",
  summary:
    'Run one API command on a running host (AQUILA_URL / AQUILA_TOKEN, or the session left by `aquila serve`). Prints the JSON result.',
  async run(argv, io) {
    const [name, params] = argv;
    if (!name)
      throw new ValidationError(
        'call needs a command name, e.g. aquila call stage.moveTo \'{"xUm":0,"yUm":0}\'',
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
    const session = readSession();
    const base = process.env.AQUILA_URL ?? session?.url;
    const token = process.env.AQUILA_TOKEN ?? session?.token;
    if (!base || !token)
      throw new StateError(
        'No running host found: start one with "npm run serve", or set AQUILA_URL and AQUILA_TOKEN',
      );
    let res: Response;
    try {
      res = await fetch(new URL(`/api/commands/${encodeURIComponent(name)}`, base), {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body,
      });
    } catch (err) {
      throw new StateError(
        `Cannot reach the host at ${base}: ${(err as Error).cause ? String((err as Error & { cause: unknown }).cause) : (err as Error).message}`,
      );
    }
    const outcome = (await res.json()) as {
      ok: boolean;
      value?: unknown;
      error?: { code: string; message: string };
    };
    if (res.status === 401) throw new AuthError(outcome.error?.message ?? 'Not authorised');
    if (!outcome.ok) {
      io.err(`${outcome.error?.code}: ${outcome.error?.message}`);
      return 1;
    }
    io.out(JSON.stringify(outcome.value));
    return 0;
  },
};
