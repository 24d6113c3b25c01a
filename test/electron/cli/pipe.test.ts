/** `aquila plan events … | head`: the reader leaving early ends nothing but the output. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pipeSafeIo } from '../../../electron/cli/main';
import { repoRoot } from '../../support/serve-process';
import { tempDir } from '../../support/temp-dir';

class ClosedPipe extends Writable {
  writes = 0;
  override _write(_chunk: unknown, _enc: string, cb: (err?: Error | null) => void): void {
    this.writes++;
    cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
  }
}

describe('CLI output to a closed pipe', () => {
  it('pipeSafeIo drops lines after EPIPE instead of throwing', async () => {
    const out = new ClosedPipe();
    const err = new ClosedPipe();
    const io = pipeSafeIo(out, err);
    io.out('first');
    await new Promise((r) => setImmediate(r));
    for (let i = 0; i < 100; i++) io.out(`line ${i}`);
    io.err('to a closed stderr too');
    await new Promise((r) => setImmediate(r));
    expect(out.writes).toBe(1);
    expect(err.writes).toBe(1);
  });

  it('`aquila plan events` exits 0 without a stack when its reader closes after one line', async () => {
    const plan = path.join(tempDir('aquila-pipe-'), 'long.json');
    writeFileSync(plan, JSON.stringify({ time_plan: { interval: 0, loops: 50_000 } }));
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'bin/aquila.mjs'), 'plan', 'events', plan],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let first = '';
    child.stdout.once('data', (d: Buffer) => {
      first = d.toString().split('\n')[0]!;
      child.stdout.destroy(); // what `head -1` does after its line
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(JSON.parse(first)).toMatchObject({ index: { t: 0 } });
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 30_000);
});
