/** The analysis config section, script templates and SLURM output parsing (no cluster needed). */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  parseScontrol,
  parseSacct,
  SlurmClient,
  summarize,
  type CommandRunner,
} from '../../../electron/analysis/slurm';
import {
  PLACEHOLDERS,
  renderTemplate,
  shellQuote,
  type PlaceholderValues,
} from '../../../electron/analysis/template';
import { DEFAULT_CONFIG_PATH, parseConfig } from '../../../electron/config/load';

const base = JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, 'utf8')) as Record<string, unknown>;
const upload = {
  targets: [
    { name: 'cephfs', kind: 'filesystem', path: '/mnt/cephfs/raw' },
    {
      name: 'rgw',
      kind: 's3',
      endpoint: 'http://127.0.0.1:7480',
      bucket: 'raw',
      credentials: { accessKeyIdEnv: 'K', secretAccessKeyEnv: 'S' },
    },
  ],
};
const job = {
  name: 'segment',
  script: '#!/bin/bash\nsegment {{cephfsPath}} {{manifestDigest}}\n',
  outputDir: '/scratch/out',
  submit: { kind: 'local' },
};

function parse(analysis: unknown, up: unknown = upload) {
  return parseConfig(
    JSON.stringify({ ...base, ...(up === null ? {} : { upload: up }), analysis }),
    'scope.json',
  );
}
function problems(analysis: unknown, up: unknown = upload): string[] {
  try {
    parse(analysis, up);
  } catch (err) {
    return ((err as { details?: { problems?: string[] } }).details?.problems ?? []) as string[];
  }
  throw new Error('config was accepted');
}

describe('analysis config', () => {
  it('accepts a job with defaults (local sbatch, one attempt, poll 15 s)', () => {
    const cfg = parse({ jobs: [{ ...job, targets: ['cephfs'] }] });
    expect(cfg.analysis?.pollIntervalS).toBe(15);
    expect(cfg.analysis?.jobs[0]).toMatchObject({
      maxAttempts: 1,
      sbatch: {},
      submit: { env: {} },
    });
  });

  it('names the field of each problem', () => {
    expect(problems({ jobs: [{ ...job, script: 'run {{datset}}', targets: ['cephfs'] }] })).toEqual(
      [
        `analysis.jobs[0].script: unknown placeholder {{datset}} (known: ${PLACEHOLDERS.join(', ')})`,
      ],
    );
    expect(problems({ jobs: [{ ...job, sbatch: { memory: 'lots', array: 'rois' } }] })).toEqual([
      'analysis.jobs[0].sbatch.memory: memory such as 4G or 500M',
      'analysis.jobs[0].sbatch.array: Invalid input: expected "positions"',
    ]);
    expect(problems({ jobs: [{ ...job, targets: ['nope'] }] })).toEqual([
      'analysis.jobs[0].targets[0]: "nope" is not a configured upload target (have: cephfs, rgw)',
    ]);
    expect(problems({ jobs: [job] })).toEqual([
      'analysis.jobs[0].cephfsRoot: the job uses {{cephfsPath}} but target "rgw" is S3: set cephfsRoot (where its datasets appear on the cluster)',
    ]);
    expect(problems({ jobs: [{ ...job, targets: ['cephfs'] }] }, null)[0]).toMatch(
      /^analysis: .*add an "upload" section/,
    );
    const ssh = { kind: 'ssh', host: 'login1', user: 'ada', keyFile: '/k' };
    expect(problems({ jobs: [{ ...job, targets: ['cephfs'], submit: ssh }] })).toEqual([
      'analysis.jobs[0].submit.knownHostsFile: Invalid input: expected string, received undefined',
    ]);
  });
});

describe('script templates', () => {
  const values = Object.fromEntries(PLACEHOLDERS.map((p) => [p, `v-${p}`])) as PlaceholderValues;

  it('inserts each value as one shell word, whatever it holds', () => {
    const nasty = `it's $(rm -rf ~); "x" \`y\` \\ \n z`;
    const script = renderTemplate(
      'printf "%s|" {{run.operator}} {{ dataset }}',
      { ...values, 'run.operator': nasty, dataset: '' },
      true,
    );
    expect(execFileSync('sh', ['-c', script], { encoding: 'utf8' })).toBe(`${nasty}||`);
    expect(shellQuote('/data/run-1_a.b')).toBe('/data/run-1_a.b');
  });

  it('leaves values unquoted for sbatch arguments', () => {
    expect(renderTemplate('/out/{{dataset}}', { ...values, dataset: 'run 1' }, false)).toBe(
      '/out/run 1',
    );
  });
});

describe('SLURM output', () => {
  it('reads an array job from scontrol: still running until every task ended, then the worst exit code', () => {
    const line = (id: number, task: string, state: string, exit: string) =>
      `JobId=${id} ArrayJobId=7 ArrayTaskId=${task} JobName=x JobState=${state} Reason=None ExitCode=${exit} Comment=a b  StdErr=/o/${task}.out StdOut=/o/${task}.out Power=`;
    const running = parseScontrol(
      [line(8, '1', 'RUNNING', '0:0'), line(7, '0', 'COMPLETED', '0:0')].join('\n'),
    );
    expect(summarize(running, 'scontrol')).toMatchObject({ state: 'RUNNING', exitCode: null });
    const ended = parseScontrol(
      [line(8, '1', 'FAILED', '2:0'), line(7, '0', 'COMPLETED', '0:0')].join('\n'),
    );
    expect(summarize(ended, 'scontrol')).toEqual({
      state: 'FAILED',
      exitCode: 2,
      signal: null,
      outputFile: '/o/1.out',
      source: 'scontrol',
    });
  });

  it('reads sacct states such as "CANCELLED by 0" and signals', () => {
    expect(summarize(parseSacct('CANCELLED by 0|0:15\n'), 'sacct')).toMatchObject({
      state: 'CANCELLED',
      exitCode: 0,
      signal: 15,
    });
  });

  /** Answers like a cluster whose scontrol forgot job 42 (MinJobAge passed); sacct per `acct`. */
  function forgetful(acct: boolean): { runner: CommandRunner; calls: string[] } {
    const calls: string[] = [];
    const runner: CommandRunner = {
      where: 'test',
      async run(argv) {
        calls.push(argv.join(' '));
        if (argv[0] === 'scontrol')
          return { code: 1, stdout: '', stderr: 'slurm_load_jobs error: Invalid job id specified' };
        if (argv[0] === 'squeue') return { code: 0, stdout: '', stderr: '' };
        if (!acct) return { code: 1, stdout: '', stderr: 'Slurm accounting storage is disabled' };
        if (argv.includes('--name')) return { code: 0, stdout: '42\n42.batch\n', stderr: '' };
        return { code: 0, stdout: argv.includes('42') ? 'FAILED|7:0\n' : '', stderr: '' };
      },
    };
    return { runner, calls };
  }

  it('asks sacct when scontrol no longer knows a job, where accounting exists', async () => {
    const { runner } = forgetful(true);
    const c = new SlurmClient(runner);
    expect(await c.jobInfo('42')).toEqual({
      state: 'FAILED',
      exitCode: 7,
      signal: null,
      outputFile: null,
      source: 'sacct',
    });
    expect(await c.findByName('aquila-x-1')).toEqual(['42']);
  });

  it('without accounting, a forgotten job is unknown (null) and sacct is probed once', async () => {
    const { runner, calls } = forgetful(false);
    const c = new SlurmClient(runner);
    expect(await c.jobInfo('42')).toBeNull();
    expect(await c.findByName('aquila-x-1')).toEqual([]);
    expect(calls.filter((x) => x.startsWith('sacct'))).toHaveLength(1);
  });
});
