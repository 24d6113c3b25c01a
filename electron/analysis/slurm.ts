/**
 * The SLURM client commands (`sbatch`, `squeue`, `scontrol`, `sacct`, `scancel`), run on this
 * machine or on a login node through the system `ssh` client (BatchMode, strict host-key
 * checking against the configured known_hosts, only the configured key). Works without
 * accounting: `scontrol show job` is asked first (it knows finished jobs for MinJobAge),
 * `sacct` only when scontrol no longer knows the job and accounting answers.
 */
import { spawn } from 'node:child_process';
import type { SubmitTarget } from './config';
import { AnalysisError } from './errors';
import { shellQuote } from './template';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one SLURM command (argv, optional stdin) where jobs are submitted. */
export interface CommandRunner {
  /** `this machine` or `user@host:port`, for messages. */
  readonly where: string;
  run(argv: string[], stdin?: string): Promise<RunResult>;
}

const COMMAND_TIMEOUT_MS = 60_000;

function exec(file: string, args: string[], env: NodeJS.ProcessEnv, stdin?: string) {
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, COMMAND_TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      // a timed-out sbatch may or may not have submitted: the caller looks it up again
      if (timedOut)
        reject(
          new AnalysisError(`${file} gave no answer in ${COMMAND_TIMEOUT_MS / 1000} s`, {
            retry: true,
          }),
        );
      else resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.on('error', () => undefined); // a command that does not read stdin
    child.stdin.end(stdin ?? '');
  });
}

export function runnerFor(
  target: SubmitTarget,
  env: NodeJS.ProcessEnv = process.env,
): CommandRunner {
  if (target.kind === 'local') {
    const merged = { ...env, ...target.env };
    return {
      where: 'this machine',
      async run(argv, stdin) {
        try {
          return await exec(argv[0]!, argv.slice(1), merged, stdin);
        } catch (err) {
          if (err instanceof AnalysisError) throw err;
          const e = err as NodeJS.ErrnoException;
          throw new AnalysisError(
            e.code === 'ENOENT'
              ? `${argv[0]} is not installed on this machine (install slurm-client, or submit over ssh)`
              : `cannot run ${argv[0]}: ${e.message}`,
          );
        }
      },
    };
  }
  const where = `${target.user}@${target.host}:${target.port}`;
  const sshArgs = [
    '-F',
    '/dev/null',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${target.knownHostsFile}`,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'ConnectTimeout=15',
    '-o',
    'LogLevel=ERROR',
    '-i',
    target.keyFile,
    '-p',
    String(target.port),
    '-l',
    target.user,
    target.host,
    '--',
  ];
  const prefix = Object.entries(target.env).map(([k, v]) => `${k}=${shellQuote(v)}`);
  return {
    where,
    async run(argv, stdin) {
      const remote = [...(prefix.length ? ['env', ...prefix] : []), ...argv.map(shellQuote)];
      let r: RunResult;
      try {
        r = await exec('ssh', [...sshArgs, remote.join(' ')], env, stdin);
      } catch (err) {
        if (err instanceof AnalysisError) throw err;
        throw new AnalysisError(`cannot run ssh: ${(err as Error).message}`);
      }
      // 255: ssh itself failed (unreachable, host key, authentication), not the command
      if (r.code === 255)
        throw new AnalysisError(`ssh to ${where} failed: ${r.stderr.trim() || 'exit 255'}`, {
          retry: true,
        });
      return r;
    },
  };
}

/** SLURM job states after which a job no longer runs. */
const TERMINAL = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'OUT_OF_MEMORY',
  'NODE_FAIL',
  'BOOT_FAIL',
  'DEADLINE',
  'PREEMPTED',
  'REVOKED',
]);
export const isTerminal = (state: string) => TERMINAL.has(state);

export interface JobInfo {
  /** The SLURM state (`PENDING`, `RUNNING`, `COMPLETED`, `FAILED`…); an array's summary. */
  state: string;
  /** The exit code of the batch script (the highest over an array's tasks); null while running. */
  exitCode: number | null;
  /** The signal that ended it, if any. */
  signal: number | null;
  /** The job's output file (the first failed task's for an array), if SLURM reports it. */
  outputFile: string | null;
  /** Where the information came from. */
  source: 'scontrol' | 'sacct';
}

interface TaskInfo {
  state: string;
  exit: [number, number] | null;
  stdout: string | null;
}

function field(line: string, key: string): string | null {
  return new RegExp(`(?:^| )${key}=(\\S*)`).exec(line)?.[1] ?? null;
}

function exitOf(s: string | null): [number, number] | null {
  const m = s ? /^(\d+):(\d+)$/.exec(s) : null;
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** Combines one job's tasks (an array has several) into one state and exit code. */
export function summarize(tasks: TaskInfo[], source: JobInfo['source']): JobInfo {
  const active = tasks.find((t) => !isTerminal(t.state));
  const bad = tasks.find((t) => t.state !== 'COMPLETED');
  const pick = active ?? bad ?? tasks[0]!;
  const done = !active;
  const exits = tasks.map((t) => t.exit).filter((e): e is [number, number] => e !== null);
  const worst = exits.reduce<[number, number] | null>(
    (w, e) => (w === null || e[0] > w[0] || (e[0] === w[0] && e[1] > w[1]) ? e : w),
    null,
  );
  return {
    state: active ? (tasks.find((t) => t.state === 'RUNNING')?.state ?? active.state) : pick.state,
    exitCode: done && worst ? worst[0] : null,
    signal: done && worst && worst[1] !== 0 ? worst[1] : null,
    outputFile: (bad ?? tasks[0]!).stdout,
    source,
  };
}

/** `scontrol show job -o` output: one line per job or array-task record. */
export function parseScontrol(text: string): TaskInfo[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('JobId='))
    .map((l) => ({
      state: field(l, 'JobState') ?? 'UNKNOWN',
      exit: exitOf(field(l, 'ExitCode')),
      stdout: field(l, 'StdOut') || null,
    }));
}

/** `sacct -n -P -X -o State,ExitCode` output. */
export function parseSacct(text: string): TaskInfo[] {
  return text
    .split('\n')
    .filter((l) => l.includes('|'))
    .map((l) => {
      const [state = 'UNKNOWN', exit = ''] = l.split('|');
      // sacct prints e.g. "CANCELLED by 0"
      return { state: state.split(' ')[0]!, exit: exitOf(exit), stdout: null };
    });
}

export class SlurmClient {
  private sacct: boolean | undefined;

  constructor(readonly runner: CommandRunner) {}

  private async must(argv: string[], stdin?: string): Promise<string> {
    const r = await this.runner.run(argv, stdin);
    if (r.code !== 0)
      throw new AnalysisError(
        `${argv[0]} on ${this.runner.where} failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`,
      );
    return r.stdout;
  }

  /** Submits `script` (read by sbatch from stdin); returns the job id. */
  async submit(script: string, args: string[]): Promise<string> {
    const out = await this.must(['sbatch', '--parsable', ...args], script);
    const id = /^(\d+)/.exec(out.trim())?.[1];
    if (!id)
      throw new AnalysisError(`sbatch on ${this.runner.where} printed no job id: "${out.trim()}"`);
    return id;
  }

  /** Job ids of jobs named `name` that SLURM still knows (squeue; sacct where accounting exists). */
  async findByName(name: string): Promise<string[]> {
    const out = await this.must(['squeue', '-h', '-t', 'all', '--name', name, '-o', '%F']);
    const ids = new Set(out.split(/\s+/).filter((s) => /^\d+$/.test(s)));
    if (ids.size === 0 && (await this.hasAccounting())) {
      const acct = await this.must([
        'sacct',
        '-n',
        '-P',
        '-X',
        '--name',
        name,
        '-S',
        'now-60days',
        '-o',
        'JobID',
      ]);
      for (const s of acct.split(/\s+/)) {
        const id = /^(\d+)/.exec(s)?.[1];
        if (id) ids.add(id);
      }
    }
    return [...ids].sort((a, b) => Number(a) - Number(b));
  }

  /** The job's state, exit code and output file; null when SLURM no longer knows it. */
  async jobInfo(jobId: string): Promise<JobInfo | null> {
    const r = await this.runner.run(['scontrol', 'show', 'job', '-o', jobId]);
    if (r.code === 0) {
      const tasks = parseScontrol(r.stdout);
      if (tasks.length) return summarize(tasks, 'scontrol');
    } else if (!/invalid job id/i.test(r.stderr + r.stdout))
      throw new AnalysisError(
        `scontrol on ${this.runner.where} failed (exit ${r.code}): ${r.stderr.trim()}`,
      );
    if (!(await this.hasAccounting())) return null;
    const tasks = parseSacct(
      await this.must(['sacct', '-n', '-P', '-X', '-j', jobId, '-o', 'State,ExitCode']),
    );
    return tasks.length ? summarize(tasks, 'sacct') : null;
  }

  async cancel(jobId: string): Promise<void> {
    await this.must(['scancel', jobId]);
  }

  /** Whether `sacct` answers (a cluster without slurmdbd says accounting storage is disabled). */
  async hasAccounting(): Promise<boolean> {
    if (this.sacct === undefined) {
      const r = await this.runner.run(['sacct', '-n', '-X', '-j', '1', '-o', 'JobID']);
      this.sacct = r.code === 0 && !/disabled/i.test(r.stderr + r.stdout);
    }
    return this.sacct;
  }
}
