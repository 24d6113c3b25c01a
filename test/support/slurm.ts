/**
 * A real single-node SLURM cluster for tests (test/support/slurm.sh): munged, slurmctld and
 * slurmd on loopback ports in a temp folder, run as the current user, without accounting.
 * `env` carries SLURM_CONF for every client command (`sbatch`, `squeue`, `scontrol`, …).
 *
 * `slurmUnavailable()` says why no cluster can run here (packages missing: `apt-get install -y
 * slurmctld slurmd slurm-client munge`, which .ci/run does), or null.
 */
import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tempDir } from './temp-dir';

const SCRIPT = fileURLToPath(new URL('./slurm.sh', import.meta.url));
const run = promisify(execFile);

export interface SlurmCluster {
  dir: string;
  conf: string;
  /** process.env plus SLURM_CONF. */
  env: NodeJS.ProcessEnv;
  /** Runs a SLURM client command against this cluster; answers stdout. */
  cmd(argv: string[]): string;
  stop(): Promise<void>;
}

export function slurmUnavailable(): string | null {
  for (const bin of ['slurmctld', 'slurmd', 'sbatch', 'munged']) {
    try {
      execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    } catch {
      return `${bin} is not installed: apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge`;
    }
  }
  return null;
}

export async function startSlurm(): Promise<SlurmCluster> {
  const problem = slurmUnavailable();
  if (problem) throw new Error(problem);
  // short path: munge's socket path must stay under 100 bytes
  const dir = tempDir('aq-slurm-');
  const { stdout } = await run(SCRIPT, ['start', dir], { timeout: 90_000 }).catch((err) => {
    throw new Error(`test/support/slurm.sh start failed:\n${(err as { stderr?: string }).stderr}`);
  });
  const conf = stdout.trim();
  const env = { ...process.env, SLURM_CONF: conf };
  return {
    dir,
    conf,
    env,
    cmd: (argv) => execFileSync(argv[0]!, argv.slice(1), { env, encoding: 'utf8' }),
    async stop() {
      await run(SCRIPT, ['stop', dir], { timeout: 60_000 });
    },
  };
}
