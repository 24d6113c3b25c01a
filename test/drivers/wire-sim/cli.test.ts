/** `npm run sim:wire -- <name>`: prints a port a driver can use, stops cleanly on Ctrl-C. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SerialTransport } from '../../../drivers/serial/transport';

const cli = fileURLToPath(new URL('../../../drivers/wire-sim/cli.ts', import.meta.url));

describe('sim:wire launcher', () => {
  it('starts the cobolt simulator, serves a real pty, and cleans up on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'cobolt'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    try {
      const port = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no port line: ${stdout}`)), 15_000);
        child.stdout.on('data', () => {
          const m = /^port: (.+)$/m.exec(stdout);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1].trim());
          }
        });
      });
      const t = new SerialTransport({
        path: port,
        baudRate: 115_200,
        commandTerminator: '\r',
        replyTerminator: '\r\n',
        timeoutMs: 2_000,
      });
      await t.open();
      expect(await t.request('sn?')).toEqual(['20488']);
      await t.close();
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stdout).toMatch(/cobolt: stopped; 1 commands received/);
      expect(existsSync(port)).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('power-cycles on SIGUSR1 and toggles garbage answers on SIGUSR2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'cobolt'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const saw = (re: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${re} in: ${stdout}`)), 15_000);
        const check = () => {
          if (!re.test(stdout)) return;
          clearTimeout(timer);
          child.stdout.off('data', check);
          resolve();
        };
        child.stdout.on('data', check);
        check();
      });
    const ask = async (port: string) => {
      const t = new SerialTransport({
        path: port,
        baudRate: 115_200,
        commandTerminator: '\r',
        replyTerminator: '\r\n',
        timeoutMs: 2_000,
      });
      await t.open();
      try {
        return await t.request('sn?');
      } finally {
        await t.close();
      }
    };
    try {
      await saw(/^port: (.+)$/m);
      const port = /^port: (.+)$/m.exec(stdout)![1]!.trim();
      child.kill('SIGUSR2');
      await saw(/garbage answers on/);
      expect((await ask(port))[0]).toMatch(/garbage/);
      child.kill('SIGUSR1');
      await saw(/cobolt: power-cycled/);
      expect(await ask(port)).toEqual(['20488']); // back, and the power cycle cleared faults
    } finally {
      child.kill('SIGKILL');
    }
  }, 30_000);

  it('names the known simulators when given an unknown one', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'nope'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown wire simulator "nope"/);
    expect(stderr).toMatch(/cobolt/);
    expect(stderr).toMatch(/obis/);
  });
});
