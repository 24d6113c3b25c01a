/** Transport fault matrix, over a real socat pty pair with a scripted wire simulator. */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../../drivers/devices';
import {
  DeviceError,
  DisconnectedError,
  ProtocolError,
  TimeoutError,
} from '../../../drivers/errors';
import { untilLine } from '../../../drivers/serial/framing';
import { SerialTransport, type SerialTransportOptions } from '../../../drivers/serial/transport';
import { runWireSim, type RunningWireSim } from '../../../drivers/wire-sim/run-sim';
import { ScriptedSim } from '../wire-sim/scripted-sim';

const table = {
  'V?': '1.2.3',
  'P?': '0.0125',
  LIST: ['a', 'b', 'END'],
  BAD: 'E,8',
  'SLOW?': { line: 'late', delayMs: 60 },
  MOVE: { line: 'R', delayMs: 150 },
};

const num = (lines: string[]) => {
  const v = Number(lines[0]);
  if (lines.length !== 1 || !Number.isFinite(v)) throw new Error(`not a number: ${lines[0]}`);
  return v;
};

describe('SerialTransport over a pty', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function setup(extra: Partial<SerialTransportOptions> = {}) {
    const sim = new ScriptedSim(table);
    const running: RunningWireSim<ScriptedSim> = await runWireSim(sim);
    cleanup.push(() => running.stop());
    const states: ConnectionState[] = [];
    const unsolicited: string[] = [];
    const t = new SerialTransport({
      path: running.devicePath,
      baudRate: 115_200,
      commandTerminator: '\r',
      replyTerminator: '\r\n',
      timeoutMs: 1_000,
      label: 'dev',
      onUnsolicited: (s) => unsolicited.push(s),
      vendorError: (lines) =>
        lines[0]?.startsWith('E,')
          ? new DeviceError(`dev: error ${lines[0]}`, {
              vendorCode: lines[0].slice(2),
              meaning: 'value out of range',
            })
          : undefined,
      autoReconnect: { initialDelayMs: 20, maxDelayMs: 50 },
      ...extra,
    });
    t.onConnection((s) => states.push(s));
    cleanup.push(() => t.close());
    await t.open();
    return { sim, running, t, states, unsolicited };
  }

  it('sends with the command terminator and returns the reply lines', async () => {
    const { t, sim } = await setup();
    expect(await t.request('V?')).toEqual(['1.2.3']);
    expect(await t.request('P?', { parse: num })).toBe(0.0125);
    expect(await t.request('LIST', { reply: untilLine(/^END$/) })).toEqual(['a', 'b', 'END']);
    expect(sim.commandsSince(0)).toEqual(['V?', 'P?', 'LIST']);
  });

  it('logs raw traffic at debug level through the injected logger', async () => {
    const log: string[] = [];
    const { t } = await setup({ log: (level, message) => log.push(`${level} ${message}`) });
    await t.request('V?');
    expect(log).toContain('debug [dev] tx "V?\\r"');
    const rx = log
      .filter((l) => l.startsWith('debug [dev] rx "'))
      .map((l) => l.slice('debug [dev] rx "'.length, -1))
      .join('');
    expect(rx).toBe('1.2.3\\r\\n');
  });

  it('serialises concurrent commands: one in flight, replies matched in order', async () => {
    const { t } = await setup();
    const results = await Promise.all([t.request('V?'), t.request('SLOW?'), t.request('P?')]);
    expect(results).toEqual([['1.2.3'], ['late'], ['0.0125']]);
  });

  it('no reply → TimeoutError within the configured time', async () => {
    const { t, sim } = await setup();
    sim.injectFault({ kind: 'no-reply' });
    const t0 = performance.now();
    const err = await t.request('V?', { timeoutMs: 100 }).catch((e: unknown) => e);
    const elapsed = performance.now() - t0;
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).message).toMatch(/no reply to "V\?" within 100 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(1_000); // generous: the CI box is shared
    expect(await t.request('V?')).toEqual(['1.2.3']);
  });

  it('garbage → ProtocolError with the raw bytes; the next command works', async () => {
    const { t, sim } = await setup();
    sim.injectFault({ kind: 'garbage', text: '#%\x01?' });
    const err = await t.request('P?', { parse: num }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).details?.raw).toBe('#%\x01?');
    expect(await t.request('P?', { parse: num })).toBe(0.0125);
  });

  it('partial line → ProtocolError (incomplete reply); the next command works', async () => {
    const { t, sim } = await setup();
    sim.injectFault({ kind: 'partial-line' });
    const err = await t.request('V?', { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).message).toMatch(/incomplete reply/);
    expect((err as ProtocolError).details?.raw).toBe('1.2');
    expect(await t.request('V?')).toEqual(['1.2.3']);
  });

  it('vendor error → DeviceError with code and meaning, not retried', async () => {
    const { t, sim } = await setup();
    const before = sim.received.length;
    const err = await t.request('BAD', { idempotentRetries: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceError);
    expect((err as DeviceError).details).toMatchObject({
      vendorCode: '8',
      meaning: 'value out of range',
    });
    expect(sim.commandsSince(before)).toEqual(['BAD']);
  });

  it('slow reply within the timeout succeeds; a per-command timeout covers long moves', async () => {
    const { t, unsolicited } = await setup();
    expect(await t.request('SLOW?', { timeoutMs: 1_000 })).toEqual(['late']);
    await expect(t.request('MOVE', { timeoutMs: 100 })).rejects.toBeInstanceOf(TimeoutError);
    // the late "R" from the timed-out move is discarded, not taken as the next reply
    const t0 = performance.now();
    while (!unsolicited.includes('R') && performance.now() - t0 < 2_000) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(unsolicited).toEqual(['R']);
    expect(await t.request('V?')).toEqual(['1.2.3']);
    expect(await t.request('MOVE', { timeoutMs: 2_000 })).toEqual(['R']);
  });

  it('after a timeout, a reply arriving late but before the line goes quiet is not taken by the next command', async () => {
    const { t, sim } = await setup({ resyncQuietMs: 250 });
    sim.injectFault({ kind: 'slow-reply', delayMs: 150 });
    await expect(t.request('P?', { timeoutMs: 100 })).rejects.toBeInstanceOf(TimeoutError);
    // sent at once: without the resync wait, the late "0.0125" would be this reply
    sim.injectFault({ kind: 'slow-reply', delayMs: 60 });
    expect(await t.request('V?')).toEqual(['1.2.3']);
  });

  it('unsolicited bytes between commands are discarded and reported', async () => {
    const { t, sim, unsolicited } = await setup();
    sim.sendUnsolicited('STATUS 7\r\nhalf a li');
    await new Promise((r) => setTimeout(r, 30));
    expect(await t.request('V?')).toEqual(['1.2.3']);
    expect(unsolicited).toEqual(['STATUS 7', 'half a li']);
  });

  it('retries idempotent queries only, within the bound', async () => {
    const { t, sim } = await setup();
    // 500 ms: long enough for a loaded machine's pty round trip, so only the injected silence times out
    sim.injectFault({ kind: 'no-reply' });
    let before = sim.received.length;
    expect(await t.request('V?', { idempotentRetries: 1, timeoutMs: 500 })).toEqual(['1.2.3']);
    expect(sim.commandsSince(before)).toEqual(['V?', 'V?']);
    sim.injectFault({ kind: 'no-reply' }, 3);
    before = sim.received.length;
    await expect(t.request('V?', { idempotentRetries: 1, timeoutMs: 500 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
    expect(sim.commandsSince(before)).toEqual(['V?', 'V?']);
  });

  it('commands without a reply resolve once written', async () => {
    const { t, sim } = await setup();
    expect(await t.request('FIRE', { reply: 0 })).toEqual([]);
    // the simulator answers "ERR unknown FIRE"; the next request must not take it as its reply
    await new Promise((r) => setTimeout(r, 30));
    expect(await t.request('V?')).toEqual(['1.2.3']);
    expect(sim.commandsSince(0)).toEqual(['FIRE', 'V?']);
  });

  it('port vanishing mid-command → DisconnectedError for in-flight and queued; reconnects when it returns', async () => {
    const { t, running, states } = await setup();
    const inFlight = t.request('MOVE', { timeoutMs: 5_000 }).catch((e: unknown) => e);
    const queued = t.request('V?').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    await running.vanish();
    expect(await inFlight).toBeInstanceOf(DisconnectedError);
    expect(await queued).toBeInstanceOf(DisconnectedError);
    expect(states).toContain('disconnected');
    expect(t.isOpen).toBe(false);
    await expect(t.request('V?')).rejects.toBeInstanceOf(DisconnectedError);
    await running.restore();
    const t0 = performance.now();
    while (!t.isOpen && performance.now() - t0 < 2_000) await new Promise((r) => setTimeout(r, 10));
    expect(t.isOpen).toBe(true);
    expect(states.at(-1)).toBe('connected');
    expect(await t.request('V?')).toEqual(['1.2.3']);
  });

  it('explicit reconnect gives up after its bound with an error naming the port', async () => {
    const { t, running } = await setup({ autoReconnect: false });
    await running.vanish();
    const t0 = performance.now();
    while (t.isOpen && performance.now() - t0 < 2_000) await new Promise((r) => setTimeout(r, 5));
    expect(t.isOpen).toBe(false);
    await expect(t.reconnect(100)).rejects.toThrow(running.devicePath);
    await running.restore();
    await t.reconnect(1_000);
    expect(await t.request('V?')).toEqual(['1.2.3']);
  });

  it('close() rejects queued commands with DisconnectedError', async () => {
    const { t } = await setup();
    const p = t.request('SLOW?').catch((e: unknown) => e);
    const q = t.request('V?').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 10));
    await t.close();
    expect(await p).toBeInstanceOf(DisconnectedError);
    expect(await q).toBeInstanceOf(DisconnectedError);
  });

  it('a nonexistent port gives a clear error naming it', async () => {
    const t = new SerialTransport({
      path: '/tmp/aquila-no-such-port',
      baudRate: 9600,
      commandTerminator: '\r',
      replyTerminator: '\r',
      timeoutMs: 100,
    });
    const err = await t.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DisconnectedError);
    expect((err as Error).message).toMatch(
      /cannot open serial port \/tmp\/aquila-no-such-port: no such port/,
    );
    expect(t.state).toBe('disconnected');
  });

  it('a busy port (already open) gives a clear error naming it', async () => {
    const { running } = await setup();
    const second = new SerialTransport({
      path: running.devicePath,
      baudRate: 9600,
      commandTerminator: '\r',
      replyTerminator: '\r',
      timeoutMs: 100,
    });
    const err = await second.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DisconnectedError);
    expect((err as Error).message).toContain(
      `cannot open serial port ${running.devicePath}: port is in use`,
    );
  });
});
