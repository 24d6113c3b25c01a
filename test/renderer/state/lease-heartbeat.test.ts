import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppState } from '../../../electron/api/contract';
import { startLeaseHeartbeat } from '../../../renderer/state/lease-heartbeat';
import { mirrorFromHello } from '../../../renderer/state/mirror';
import { createAppStore } from '../../../renderer/state/store';
import { sampleState } from './sample-state';

afterEach(() => {
  vi.useRealTimers();
});

function stateWithHolder(clientId: string | null, expiresAtMs: number | null): AppState {
  const s = sampleState();
  s.control.holder = clientId
    ? {
        clientId,
        user: 'u',
        role: 'operator',
        transport: 'ws',
        connectedAtMs: 0,
        sinceMs: 0,
        expiresAtMs,
      }
    : null;
  return s;
}

describe('lease heartbeat', () => {
  it('beats every 500 ms only while this page holds an expiring lease and the link is up', () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    const store = createAppStore({
      clientId: 'ws1',
      mirror: mirrorFromHello(stateWithHolder('ws1', 5_000), 1),
      link: { state: 'connected', detail: null, transport: 'websocket' },
    });
    const stop = startLeaseHeartbeat(store, {
      call: async (name) => {
        calls.push(name);
        return { expiresAtMs: 0 } as never;
      },
    });
    vi.advanceTimersByTime(1_600);
    expect(calls).toEqual(['control.heartbeat', 'control.heartbeat', 'control.heartbeat']);
    store.getState().setMirror(mirrorFromHello(stateWithHolder('ws2', 5_000), 2));
    vi.advanceTimersByTime(1_000);
    store.getState().setMirror(mirrorFromHello(stateWithHolder('ws1', null), 3)); // never expires
    vi.advanceTimersByTime(1_000);
    store.getState().setMirror(mirrorFromHello(stateWithHolder('ws1', 5_000), 4));
    store.getState().setLink({ state: 'disconnected', detail: null, transport: 'websocket' });
    vi.advanceTimersByTime(1_000);
    expect(calls).toHaveLength(3);
    store.getState().setLink({ state: 'connected', detail: null, transport: 'websocket' });
    vi.advanceTimersByTime(500);
    expect(calls).toHaveLength(4);
    stop();
    vi.advanceTimersByTime(2_000);
    expect(calls).toHaveLength(4);
  });
});
