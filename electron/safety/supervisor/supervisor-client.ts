/**
 * Host side of the safety supervisor: starts `supervisor-main.ts` as a separate process in
 * its own session (a signal to the host's process group does not reach it), sends the plan,
 * waits for `ready`, and reports if the supervisor ends while the host still relies on it.
 * Its pipes and process handle are unref'd: the supervisor never keeps the host alive.
 */
import { spawn } from 'node:child_process';
import { StateError } from '../../../drivers/errors';
import { resolveWorkerEntry } from '../../../drivers/workers';
import type { SupervisorPlan } from './plan';

/** Longest wait for the supervisor's `ready` (it starts a Node process), ms. */
const START_TIMEOUT_MS = 20_000;
/** Longest wait for the supervisor to exit after `disarm`, ms (then it is killed). */
const DISARM_WAIT_MS = 1_000;

export type SupervisorState = 'armed' | 'disarmed' | 'lost';

export interface SupervisorHandle {
  readonly pid: number;
  readonly state: SupervisorState;
  /**
   * Clean shutdown: the supervisor exits without touching any port. Call only once the
   * host confirmed every laser off and closed its ports. Resolves when it has exited.
   */
  disarm(): Promise<void>;
  /** Called once if the supervisor ends while armed (at once if it already has), with why. */
  onLost(listener: (why: string) => void): () => void;
}

/** How to run the supervisor entry: from source through tsx, or the bundled sibling `.js`. */
function supervisorCommand(): { args: string[]; env: NodeJS.ProcessEnv } {
  const { file, needsTsx } = resolveWorkerEntry(new URL('./supervisor-main.ts', import.meta.url));
  return {
    args: needsTsx ? ['--import', import.meta.resolve('tsx'), file] : [file],
    // In Electron, execPath is the app binary: run it as plain Node.
    env: process.versions.electron ? { ...process.env, ELECTRON_RUN_AS_NODE: '1' } : process.env,
  };
}

export async function startSupervisor(plan: SupervisorPlan): Promise<SupervisorHandle> {
  const { args, env } = supervisorCommand();
  const child = spawn(process.execPath, args, {
    detached: true,
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  // Writes after the supervisor died fail with EPIPE; the exit event reports the loss.
  child.stdin.on('error', () => undefined);
  child.stdout.setEncoding('utf8');

  let state: SupervisorState = 'armed';
  const lostListeners = new Set<(why: string) => void>();
  const exited = new Promise<string>((resolve) => {
    child.once('error', (err) => resolve(`could not run: ${err.message}`));
    child.once('exit', (code, signal) =>
      resolve(signal ? `killed by ${signal}` : `exited with code ${code}`),
    );
  });

  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "ready" within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    const settle = (err?: Error) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    };
    child.stdout.on('data', (d: string) => {
      out += d;
      const error = /^error (.*)$/m.exec(out);
      if (error) settle(new Error(error[1]));
      else if (/^ready$/m.test(out)) settle();
    });
    void exited.then((why) => settle(new Error(why)));
  });
  child.stdin.write(JSON.stringify(plan) + '\n');
  try {
    await ready;
  } catch (err) {
    child.kill('SIGKILL');
    throw new StateError(
      `The safety supervisor did not start (${(err as Error).message}); the host does not run serial lasers or stages unsupervised`,
      { ports: plan.devices.map((d) => d.port) },
    );
  }

  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  let lostWhy = '';
  void exited.then((why) => {
    if (state !== 'armed') return;
    state = 'lost';
    lostWhy = why;
    for (const l of lostListeners) l(why);
  });

  return {
    pid: child.pid as number,
    get state() {
      return state;
    },
    async disarm() {
      if (state !== 'armed') return;
      state = 'disarmed';
      child.stdin.end('disarm\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), DISARM_WAIT_MS);
      await exited;
      clearTimeout(timer);
    },
    onLost(listener) {
      // Lost before anyone listened (e.g. while the host was connecting devices): say so now.
      if (state === 'lost') queueMicrotask(() => listener(lostWhy));
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },
  };
}
