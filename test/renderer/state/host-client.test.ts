import { describe, expect, it } from 'vitest';
import type { CommandName, CommandParams, CommandResult } from '../../../electron/api/contract';
import type { HostMessage } from '../../../electron/api/messages';
import type { DecodedFrame } from '../../../renderer/frames/decode-frame';
import { HostClient } from '../../../renderer/state/host-client';
import { createAppStore } from '../../../renderer/state/store';
import { HostCallError } from '../../../renderer/transport/call-error';
import type {
  ConnectionListener,
  HostConnection,
} from '../../../renderer/transport/host-connection';
import { encodeForTest, sampleMeta } from '../frames/encode-for-test';
import { sampleState } from './sample-state';

class FakeConnection implements HostConnection {
  readonly transport = 'websocket' as const;
  listener: ConnectionListener | null = null;
  resyncs: string[] = [];
  framesEnabled: boolean[] = [];
  acks: number[] = [];
  calls: { name: string; args: unknown }[] = [];
  failWith: HostCallError | null = null;

  start(l: ConnectionListener) {
    this.listener = l;
  }
  async call<N extends CommandName>(name: N, args: CommandParams<N>): Promise<CommandResult<N>> {
    this.calls.push({ name, args });
    if (this.failWith) throw this.failWith;
    return {} as CommandResult<N>;
  }
  setFramesEnabled(e: boolean) {
    this.framesEnabled.push(e);
  }
  ackFrame(seq: number) {
    this.acks.push(seq);
  }
  resync(reason: string) {
    this.resyncs.push(reason);
  }
  close() {}
  emit(m: HostMessage) {
    this.listener!.hostMessage(m);
  }
}

function setup() {
  const conn = new FakeConnection();
  const store = createAppStore();
  const client = new HostClient(conn, store);
  client.start();
  return { conn, store, client };
}

describe('HostClient', () => {
  it('mirrors hello and patches, and resyncs on a revision gap', () => {
    const { conn, store } = setup();
    conn.emit({ type: 'hello', clientId: 'c1', rev: 3, state: sampleState() });
    conn.emit({
      type: 'patch',
      rev: 4,
      patches: [{ op: 'replace', path: ['stage', 'xUm'], value: 12 }],
    });
    expect(store.getState().mirror?.state.stage?.xUm).toBe(12);
    conn.emit({
      type: 'patch',
      rev: 6,
      patches: [{ op: 'replace', path: ['stage', 'xUm'], value: 99 }],
    });
    expect(store.getState().mirror?.state.stage?.xUm).toBe(12);
    expect(conn.resyncs).toEqual(['rev gap: expected 5, got 6']);
    conn.emit({
      type: 'hello',
      clientId: 'c1',
      rev: 6,
      state: { ...sampleState(), stage: { id: 's', xUm: 99, yUm: 0, busy: false } },
    });
    expect(store.getState().mirror).toMatchObject({ rev: 6, state: { stage: { xUm: 99 } } });
  });

  it('shows a failed command to the user with its code and resolves undefined', async () => {
    const { conn, store, client } = setup();
    conn.failWith = new HostCallError({
      name: 'LimitError',
      code: 'LIMIT',
      message: 'x 6000 µm is outside -5000…5000',
    });
    const out = await client.run('stage.moveTo', { xUm: 6000, yUm: 0 });
    expect(out).toBeUndefined();
    const [notice] = store.getState().notices;
    expect(notice).toMatchObject({
      level: 'error',
      text: 'x 6000 µm is outside -5000…5000',
      detail: 'stage.moveTo · LIMIT',
    });
  });

  it('keeps one notice per command and target, and clears it when the command succeeds', async () => {
    const { conn, store, client } = setup();
    conn.failWith = new HostCallError({
      name: 'LimitError',
      code: 'E_LIMIT',
      message: 'Laser laser488: 200 mW is outside 0..150 mW',
      details: { laserId: 'laser488', powerMw: 200, maxPowerMw: 150 },
    });
    await client.run('laser.setPower', { laserId: 'laser488', powerMw: 200 });
    await client.run('laser.setPower', { laserId: 'laser488', powerMw: 200 });
    await client.run('laser.setPower', { laserId: 'laser640', powerMw: 200 });
    expect(store.getState().notices.map((n) => [n.key, n.text, n.count])).toEqual([
      ['laser.setPower:laser488', "200 mW is above this laser's maximum of 150 mW (laser488).", 2],
      ['laser.setPower:laser640', "200 mW is above this laser's maximum of 150 mW (laser488).", 1],
    ]);
    conn.failWith = null;
    await client.run('laser.setPower', { laserId: 'laser488', powerMw: 100 });
    expect(store.getState().notices.map((n) => n.key)).toEqual(['laser.setPower:laser640']);
  });

  it('e-stop refusals share one notice, which the reset takes away', async () => {
    const { conn, store, client } = setup();
    const latched = (estopLatched: boolean) => {
      const s = sampleState();
      return { ...s, safety: { ...s.safety, estopLatched } };
    };
    conn.emit({ type: 'hello', clientId: 'c1', rev: 1, state: latched(true) });
    conn.failWith = new HostCallError({
      name: 'EstopLatchedError',
      code: 'E_ESTOP',
      message: 'Emergency stop is active',
    });
    await client.run('stage.moveBy', { dxUm: 1, dyUm: 0 });
    await client.run('channel.apply', { name: 'GFP' });
    await client.run('laser.setEmission', { laserId: 'laser488', on: true });
    const notices = store.getState().notices;
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ key: 'E_ESTOP', count: 3 });
    expect(notices[0]!.text).toMatch(/emergency stop is latched/);
    expect(notices[0]!.detail).toBe('laser.setEmission · E_ESTOP · Emergency stop is active');
    conn.emit({
      type: 'patch',
      rev: 2,
      patches: [{ op: 'replace', path: ['safety', 'estopLatched'], value: false }],
    });
    expect(store.getState().notices).toEqual([]);
  });

  it('enables frames while a sink is attached and decodes frames for it', () => {
    const { conn, client, store } = setup();
    const got: DecodedFrame[] = [];
    const detach = client.attachFrames((f) => got.push(f));
    conn.listener!.frame(encodeForTest(sampleMeta({ seq: 41 }), [1, 2, 3, 4, 5, 6]));
    conn.listener!.frame(new ArrayBuffer(3));
    detach();
    // enable; off+on to recover from the undecodable frame; off on detach
    expect(conn.framesEnabled).toEqual([true, false, true, false]);
    expect(got.map((f) => f.meta.seq)).toEqual([41]);
    expect(store.getState().notices[0]).toMatchObject({
      text: expect.stringMatching(/^frame: 3 bytes is shorter than the 8-byte preamble/),
      detail: 'display · FRAME_DECODE',
    });
  });

  it('a page takes the host view and recent events from its first hello; later hellos keep its tab', () => {
    const { conn, store } = setup();
    const withView = (tab: 'acquire' | 'data') => ({
      ...sampleState(),
      view: { tab, jogStepUm: 10, jogStepZUm: 0.5 },
    });
    store.getState().pushEvent({ type: 'log', level: 'info', message: 'local', timeMs: 0 });
    const events = [
      { type: 'log' as const, level: 'info' as const, message: 'Run started', timeMs: 1 },
    ];
    conn.emit({ type: 'hello', clientId: 'c1', rev: 1, state: withView('acquire'), events });
    expect(store.getState()).toMatchObject({ tab: 'acquire', jogStepUm: 10, jogStepZUm: 0.5 });
    expect(store.getState().eventLog).toEqual(events);
    store.getState().setTab('control');
    conn.emit({ type: 'hello', clientId: 'c1', rev: 5, state: withView('data'), events });
    expect(store.getState().tab).toBe('control');
    expect(store.getState().eventLog).toEqual(events);
  });

  it('turns safety events into warnings and records them', () => {
    const { conn, store } = setup();
    conn.emit({ type: 'event', event: { type: 'safety', message: 'E-stop pressed', timeMs: 1 } });
    expect(store.getState().eventLog).toHaveLength(1);
    expect(store.getState().notices[0]).toMatchObject({ level: 'warn', text: 'E-stop pressed' });
  });
});
