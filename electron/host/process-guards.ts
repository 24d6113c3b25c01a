/**
 * Last-resort safety for the host process: an uncaught error, a termination signal or the
 * death of the parent process switches every laser off, then the process ends — always,
 * within SHUTDOWN_BOUND_MS + WORKER_STOP_MS, even if a driver or a file operation hangs.
 * Used by `serve`, the CLI and Electron.
 *
 * Why the bound holds: `process.exit()` joins every worker thread, and a worker stuck in a
 * native call (e.g. Node's recursive mkdirSync looping on `/proc/x`) never joins, so exit
 * would hang for ever after the lasers were off. endProcess() first terminates the workers
 * with a deadline; if one does not stop, the process dies by a signal instead (see there).
 */
import { liveWorkers } from '../../drivers/workers';
import type { Host } from './host';

/** The longest a shutdown (lasers off first) may take before the process ends anyway, ms. */
export const SHUTDOWN_BOUND_MS = 2_000;
/** The longest worker threads get to stop before the process ends without them, ms. */
export const WORKER_STOP_MS = 500;
/** How often the parent process is checked, ms (getppid is one cheap syscall). */
const PARENT_POLL_MS = 100;

export interface GuardOptions {
  /** Runs after the host's shutdown (close servers, remove session files). */
  beforeExit?: () => Promise<void>;
  /**
   * Shut down when the parent process ends (the process is re-parented, so its ppid
   * changes): for `serve` and the CLI, whose parent is npm, a shell or a service manager.
   */
  exitWithParent?: boolean;
}

/**
 * Ends the process with `code` within WORKER_STOP_MS, even if a worker thread is stuck: then
 * it dies by `signal` (the one that asked it to stop, with its default action, so a service
 * manager sees "terminated by SIGTERM") or by SIGKILL.
 */
export async function endProcess(
  code: number,
  log?: (message: string) => void,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<never> {
  const workers = liveWorkers();
  let timer: NodeJS.Timeout | undefined;
  const stopped = await Promise.race([
    Promise.all(workers.map((w) => w.terminate())).then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), WORKER_STOP_MS))),
  ]);
  clearTimeout(timer);
  if (!stopped) {
    log?.(
      `A worker thread did not stop within ${WORKER_STOP_MS} ms (stuck in a native call); ending the process without it`,
    );
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    await new Promise((r) => setTimeout(r, 100));
    process.kill(process.pid, 'SIGKILL');
  }
  process.exit(code);
}

export function installProcessGuards(host: Host, options: GuardOptions = {}): () => void {
  const logError = (message: string) => host.log.log('error', message);
  let exiting = false;
  const exit = (code: number, reason: string, signal?: NodeJS.Signals) => {
    if (exiting) return;
    exiting = true;
    setTimeout(() => {
      logError(`Shutdown (${reason}) did not finish within ${SHUTDOWN_BOUND_MS} ms; exiting`);
      void endProcess(code, logError, signal);
    }, SHUTDOWN_BOUND_MS).unref();
    void host
      .shutdown(reason)
      .catch((err: unknown) => logError(`Shutdown failed: ${(err as Error).message}`))
      .then(options.beforeExit)
      .catch((err: unknown) => logError(`Shutdown failed: ${(err as Error).message}`))
      .finally(() => endProcess(code, logError, signal));
  };
  const onFatal = (err: unknown) => {
    logError(`Uncaught host error, switching lasers off: ${(err as Error)?.stack ?? String(err)}`);
    exit(1, 'uncaught host error');
  };
  const onSignal = (signal: NodeJS.Signals) => exit(0, `signal ${signal}`, signal);
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  const parentAtStart = process.ppid;
  const parentWatch = options.exitWithParent
    ? setInterval(() => {
        if (process.ppid === parentAtStart) return;
        host.log.log('warn', `Parent process ${parentAtStart} ended; shutting down`);
        exit(0, `parent process ${parentAtStart} ended`);
      }, PARENT_POLL_MS).unref()
    : undefined;
  return () => {
    clearInterval(parentWatch);
    process.off('uncaughtException', onFatal);
    process.off('unhandledRejection', onFatal);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  };
}
