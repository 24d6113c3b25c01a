/** One `aquila <name> …` subcommand. Registered in electron/cli/commands.ts. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  /** Returns the process exit code. Throw an AquilaError for a clear one-line error (exit 2). */
  run(args: string[], io: CliIo): Promise<number>;
}
