/**
 * `aquila users add NAME --role operator|observer` — creates a user and prints its token once.
 * `aquila users list` — names, roles, creation dates (never tokens).
 * `aquila users revoke NAME` — the token and the user's sessions stop working at once.
 * The users file is `users.json` in AQUILA_HOME (default ~/.aquila), or `--dir DIR`.
 */
import { ValidationError } from '../../../drivers/errors';
import { roleName } from '../../api/contract';
import { UserStore } from '../../remote/users';
import { flagString, parseArgs } from '../args';
import { sessionDir } from '../session-file';
import type { CliCommand } from '../types';

const USAGE =
  'aquila users add NAME --role operator|observer | aquila users list | aquila users revoke NAME [--dir DIR]';

export const command: CliCommand = {
  name: 'users',
  usage: USAGE,
  summary:
    'Manage remote users: add (prints the token once), list, revoke. Stored hashed in AQUILA_HOME/users.json.',
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['role', 'dir'] });
    const [verb, name, extra] = args.positionals;
    const store = new UserStore(flagString(args, 'dir') ?? sessionDir());
    if (extra !== undefined)
      throw new ValidationError(`unexpected argument "${extra}"; usage: ${USAGE}`);
    switch (verb) {
      case 'add': {
        if (!name) throw new ValidationError(`users add needs a NAME; usage: ${USAGE}`);
        const role = roleName.safeParse(flagString(args, 'role'));
        if (!role.success)
          throw new ValidationError(
            `users add ${name}: --role must be operator or observer, got ${JSON.stringify(flagString(args, 'role') ?? null)}`,
          );
        const token = store.add(name, role.data);
        io.err(`User ${name} (${role.data}) added. Their token, shown only now:`);
        io.out(token);
        return 0;
      }
      case 'list':
        for (const u of store.list())
          io.out(
            `${u.name.padEnd(24)} ${u.role.padEnd(9)} ${new Date(u.createdAtMs).toISOString()}`,
          );
        return 0;
      case 'revoke':
        if (!name) throw new ValidationError(`users revoke needs a NAME; usage: ${USAGE}`);
        store.revoke(name);
        io.err(`User ${name} revoked.`);
        return 0;
      default:
        throw new ValidationError(`usage: ${USAGE}`);
    }
  },
};
