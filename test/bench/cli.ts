/**
 * `aquila call` start-up: the wall time of one `node bin/aquila.mjs call …` process
 * against a baseline measured in the same run — a bare `node` process making the same
 * authenticated POST with fetch (the least any separate CLI process can cost). Calls
 * alternate between the two so both see the same machine load. Prints the median ratio
 * (goal ≤ 2) and which way the CLI ran (bundle or sources: run `npm run build:host` first
 * for the bundle). On this 2-core machine under load: 4.5 (1.33 s) before lazy command
 * modules and the bundle, 1.3 (0.34 s) after.
 * Run: npm run bench:cli  (options: --calls=N, default 20; --bin=FILE: another checkout's entry)
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { repoRoot, startServe } from '../support/serve-process';

const calls = Number(/--calls=(\d+)/.exec(process.argv.join(' '))?.[1] ?? 20);
/** Another checkout's entry, to compare versions on the same host: --bin=/path/bin/aquila.mjs */
const bin =
  /--bin=(\S+)/.exec(process.argv.join(' '))?.[1] ?? path.join(repoRoot, 'bin/aquila.mjs');
const run = promisify(execFile);

/** Wall time of one child process; it must print the call's result, `{}`. */
async function timedMs(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const t0 = performance.now();
  const { stdout } = await run(process.execPath, args, { env });
  const ms = performance.now() - t0;
  if (stdout.trim() !== '{}') throw new Error(`unexpected output: ${stdout}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const serve = await startServe([]);
try {
  const env = { ...process.env, AQUILA_URL: serve.baseUrl, AQUILA_TOKEN: serve.token };
  const cliArgs = [bin, 'call', 'safety.reset'];
  const bareArgs = [
    '--input-type=module',
    '-e',
    `const r = await fetch(new URL('/api/commands/safety.reset', process.env.AQUILA_URL), {
       method: 'POST', body: '{}',
       headers: { Authorization: 'Bearer ' + process.env.AQUILA_TOKEN, 'Content-Type': 'application/json' } });
     console.log(JSON.stringify((await r.json()).value));`,
  ];
  const { freshBundle } = (await import(path.join(repoRoot, 'bin/load-cli.mjs'))) as {
    freshBundle(): string | null;
  };
  const cli: number[] = [];
  const bare: number[] = [];
  await timedMs(cliArgs, env); // warm the file cache for both
  await timedMs(bareArgs, env);
  for (let i = 0; i < calls; i++) {
    cli.push(await timedMs(cliArgs, env));
    bare.push(await timedMs(bareArgs, env));
  }
  const c = median(cli);
  const b = median(bare);
  const how = freshBundle() ? 'dist/cli bundle' : 'TypeScript sources via tsx';
  console.log(`aquila call, ${bin} (this checkout: ${how}):`);
  console.log(`  median ${c.toFixed(0)} ms per call over ${calls} calls`);
  console.log(`  baseline (bare node + fetch): median ${b.toFixed(0)} ms`);
  console.log(`  ratio ${(c / b).toFixed(2)} (goal ≤ 2)`);
} finally {
  await serve.stop();
}
