/**
 * `aquila <command> …` — the headless entry: serve the host, call a running one, read its
 * state and datasets, list ports, expand and estimate plans, acquire, upload. Errors print
 * one clear line; exit 2.
 */
import '../host/thread-pool';
import { AquilaError } from '../../drivers/errors';
import { cliCommands } from './commands';
import type { CliIo } from './types';

/** bin/aquila.mjs ends the process with it once a command returns (stuck workers cannot hold it). */
export { endProcess } from '../host/process-guards';

/**
 * Standard output that tolerates its reader going away (`aquila plan events … | head`): on
 * EPIPE further lines are dropped and the command runs to its normal end (an acquisition
 * still shuts down cleanly); no stack trace.
 */
export function pipeSafeIo(
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): CliIo {
  let outClosed = false;
  let errClosed = false;
  const onError = (which: 'out' | 'err') => (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
    if (which === 'out') outClosed = true;
    else errClosed = true;
  };
  stdout.on('error', onError('out'));
  stderr.on('error', onError('err'));
  return {
    out: (line) => void (outClosed || stdout.write(line + '\n')),
    err: (line) => void (errClosed || stderr.write(line + '\n')),
  };
}

let stdio: CliIo | undefined;

async function help(io: CliIo): Promise<void> {
  const [loaded, { commands }] = await Promise.all([
    Promise.all(cliCommands.map((c) => c.load())),
    import('../api/contract'),
  ]);
  io.out('Usage: aquila <command> [options]\n\nCommands:');
  for (const c of loaded) io.out(`  ${c.usage}\n      ${c.summary}`);
  io.out('\nAPI commands (for "aquila call" and POST /api/commands/<name>):');
  for (const [name, c] of Object.entries(commands)) io.out(`  ${name.padEnd(20)} ${c.summary}`);
}

export async function runCli(argv: string[], io?: CliIo): Promise<number> {
  const out = io ?? (stdio ??= pipeSafeIo());
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    await help(out);
    return name ? 0 : 2;
  }
  const entry = cliCommands.find((c) => c.name === name);
  if (!entry) {
    out.err(`aquila: unknown command "${name}". Run "aquila help".`);
    return 2;
  }
  try {
    return await (await entry.load()).run(rest, out);
  } catch (err) {
    if (err instanceof AquilaError) {
      out.err(`aquila ${name}: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
