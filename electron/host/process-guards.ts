/**
 * Last-resort safety for the host process: an uncaught error or a termination signal
 * switches every laser off before the process ends. Used by `serve`, the CLI and Electron.
 */
import type { Host } from './host';

/** The process exits at most this long after a fatal error, even if a driver hangs. */
const FATAL_EXIT_MS = 2_000;

export function installProcessGuards(
  host: Host,
  beforeExit: () => Promise<void> = async () => undefined,
): () => void {
  let exiting = false;
  const exit = (code: number, reason: string) => {
    if (exiting) return;
    exiting = true;
    const force = setTimeout(() => process.exit(code), FATAL_EXIT_MS);
    force.unref();
    void host
      .shutdown(reason)
      .catch((err: unknown) => host.log.log('error', `Shutdown failed: ${(err as Error).message}`))
      .then(beforeExit)
      .finally(() => process.exit(code));
  };
  const onFatal = (err: unknown) => {
    host.log.log(
      'error',
      `Uncaught host error, switching lasers off: ${(err as Error)?.stack ?? String(err)}`,
    );
    exit(1, 'uncaught host error');
  };
  const onSignal = (signal: NodeJS.Signals) => exit(0, `signal ${signal}`);
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  return () => {
    process.off('uncaughtException', onFatal);
    process.off('unhandledRejection', onFatal);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  };
}
