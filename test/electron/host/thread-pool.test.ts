import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const probe = (env: NodeJS.ProcessEnv): string => {
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      "await import('./electron/host/thread-pool.ts'); process.stdout.write(process.env.UV_THREADPOOL_SIZE ?? 'unset');",
    ],
    { encoding: 'utf8', env },
  );
  expect(r.stderr).toBe('');
  return r.stdout;
};

describe('libuv thread pool size', () => {
  it('asks for 8 threads when the environment did not choose', () => {
    const env = { ...process.env };
    delete env.UV_THREADPOOL_SIZE;
    expect(probe(env)).toBe('8');
  });

  it('keeps a size the environment chose', () => {
    expect(probe({ ...process.env, UV_THREADPOOL_SIZE: '3' })).toBe('3');
  });
});
