/**
 * `aquila <command> …` — the headless entry: serve the host, call a running one, list
 * ports, expand and estimate plans, acquire, upload. Errors print one clear line; exit 2.
 */
import '../host/thread-pool';
import { AquilaError } from '../../drivers/errors';
import { commands } from '../api/contract';
import { cliCommands } from './commands';
import type { CliIo } from './types';

const stdio: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

function help(io: CliIo): void {
  io.out('Usage: aquila <command> [options]\n\nCommands:');
  for (const c of cliCommands) io.out(`  ${c.usage}\n      ${c.summary}`);
  io.out('\nAPI commands (for "aquila call" and POST /api/commands/<name>):');
  for (const [name, c] of Object.entries(commands)) io.out(`  ${name.padEnd(20)} ${c.summary}`);
}

export async function runCli(argv: string[], io: CliIo = stdio): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    help(io);
    return name ? 0 : 2;
  }
  const command = cliCommands.find((c) => c.name === name);
  if (!command) {
    io.err(`aquila: unknown command "${name}". Run "aquila help".`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof AquilaError) {
      io.err(`aquila ${name}: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
