import { afterEach, describe, expect, it } from 'vitest';
import { DisconnectedError } from '../../../../drivers/errors';
import { SerialTransport } from '../../../../drivers/serial/transport';
import { runWireSim, type RunningWireSim } from '../../../../drivers/wire-sim/run-sim';
import { command } from '../../../../electron/cli/commands/ports';
import { ScriptedSim } from '../../../drivers/wire-sim/scripted-sim';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('aquila ports', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('lists ports (or says there are none) and exits 0', async () => {
    const c = capture();
    expect(await command.run([], c.io)).toBe(0);
    expect(c.out.length).toBeGreaterThan(0);
    const j = capture();
    expect(await command.run(['--json'], j.io)).toBe(0);
    expect(JSON.parse(j.out.join('\n'))).toHaveProperty('ports');
  });

  it('--probe: a free pty opens; a busy one and a missing path give errors naming them', async () => {
    const running: RunningWireSim = await runWireSim(new ScriptedSim({}));
    cleanup.push(() => running.stop());
    const c = capture();
    expect(await command.run(['--probe', running.devicePath], c.io)).toBe(0);
    expect(c.out[0]).toContain(`${running.devicePath}: opens fine`);

    const holder = new SerialTransport({
      path: running.devicePath,
      baudRate: 9_600,
      commandTerminator: '\r',
      replyTerminator: '\r',
      timeoutMs: 100,
    });
    await holder.open();
    cleanup.push(() => holder.close());
    const busy = await command.run(['--probe', running.devicePath], c.io).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(DisconnectedError);
    expect((busy as Error).message).toContain(`${running.devicePath}: port is in use`);

    const missing = await command
      .run(['--probe', '/dev/ttyAquilaMissing'], c.io)
      .catch((e: unknown) => e);
    expect((missing as Error).message).toContain('/dev/ttyAquilaMissing: no such port');
  });

  it('rejects unknown arguments with usage', async () => {
    const c = capture();
    await expect(command.run(['--bogus'], c.io)).rejects.toThrow(
      /^unknown option --bogus \(this command takes --probe, --json\)$/,
    );
    await expect(command.run(['--probe'], c.io)).rejects.toThrow(/^--probe needs a value$/);
    await expect(command.run(['/dev/ttyS0'], c.io)).rejects.toThrow(
      /^unexpected argument "\/dev\/ttyS0"; usage: aquila ports/,
    );
  });
});
