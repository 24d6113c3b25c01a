import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { takeParams } from '../../../electron/cli/commands/run';
import { runCli } from '../../../electron/cli/main';
import { tempDir } from '../../support/temp-dir';

const CONFIG = path.join(import.meta.dirname, '../../fixtures/configs/macros.json');

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('aquila run', () => {
  it('takes repeated --param KEY=VALUE, typed', () => {
    expect(
      takeParams(['m', '--param', 'n=3', '--param=flag=true', '--param', 's=a=b', '--dry-run']),
    ).toEqual({ rest: ['m', '--dry-run'], params: { n: 3, flag: true, s: 'a=b' } });
    expect(() => takeParams(['--param', 'novalue'])).toThrow(/KEY=VALUE/);
  });

  it('runs a macro file: console on stdout, exit 0; a refused call exits 1 naming line and limit', async () => {
    const dir = tempDir('aquila-run-');
    const ok = path.join(dir, 'ok.js');
    writeFileSync(
      ok,
      `await aquila.stage.moveTo({ xUm: aquila.params.x, yUm: 0 });\naquila.log('at', (await aquila.stage.position()).xUm);\n`,
    );
    const a = io();
    expect(
      await runCli(['run', ok, '--config', CONFIG, '--out', dir, '--param', 'x=250'], a.io),
    ).toBe(0);
    expect(a.out).toEqual(['at 250']);

    const bad = path.join(dir, 'bad.js');
    writeFileSync(
      bad,
      `aquila.log('start');\n  await aquila.stage.moveTo({ xUm: 5000, yUm: 0 });\naquila.log('never');\n`,
    );
    const b = io();
    expect(await runCli(['run', bad, '--config', CONFIG, '--out', dir], b.io)).toBe(1);
    expect(b.out).toEqual(['start']);
    expect(b.err.join('\n')).toMatch(/E_LIMIT.*X maximum 1000 µm at bad\.js:2:\d+/);
  });

  it('--dry-run reports every refused call and the figures, exit 1 when anything was refused', async () => {
    const dir = tempDir('aquila-run-');
    const file = path.join(dir, 'scan.js');
    writeFileSync(
      file,
      `for (const x of [100, 5000, -200, -7000]) await aquila.stage.moveTo({ xUm: x, yUm: 0 });\n` +
        `await aquila.channel.apply({ name: 'GFP' });\nawait aquila.camera.snap();\nawait aquila.sleep(60000);\naquila.log('done');\n`,
    );
    const h = io();
    const started = Date.now();
    expect(await runCli(['run', file, '--dry-run', '--config', CONFIG], h.io)).toBe(1);
    // the minute of sleep was simulated
    expect(Date.now() - started).toBeLessThan(30_000);
    const text = h.out.join('\n');
    expect(h.out[0]).toBe('done');
    expect(text).toMatch(/Dry run: 6\d\.\d s, 1 frames, 0\.1 MB/);
    // 0 → 100 → -200
    expect(text).toMatch(/Stage travel 0\.400 mm/);
    expect(text).toMatch(/Refused calls: 2/);
    expect(text).toMatch(/stage\.moveTo: E_LIMIT: .*x = 5000 µm is above the X maximum 1000 µm/);
    expect(text).toMatch(/stage\.moveTo: E_LIMIT: .*x = -7000 µm is below the X minimum -1000 µm/);
  });

  it('names the library on an unknown macro (exit 2)', async () => {
    const h = io();
    expect(await runCli(['run', 'no-such-macro', '--dry-run', '--config', CONFIG], h.io)).toBe(2);
    expect(h.err.join('\n')).toMatch(/No macro "no-such-macro" in the library \(.*z-stack-at-rois/);
  });
});
