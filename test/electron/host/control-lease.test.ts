import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallContext } from '../../../electron/host/command-handlers';
import { ControlLease } from '../../../electron/host/control-lease';
import { StateStore } from '../../../electron/host/state-store';
import { sampleState } from '../../renderer/state/sample-state';

const alice: CallContext = { clientId: 'ws1', transport: 'ws', user: 'alice', role: 'operator' };
const carol: CallContext = { clientId: 'ws2', transport: 'ws', user: 'carol', role: 'operator' };
const bob: CallContext = { clientId: 'ws3', transport: 'ws', user: 'bob', role: 'observer' };
const desk: CallContext = {
  clientId: 'desktop',
  transport: 'ipc',
  user: 'instrument',
  role: 'operator',
};

let now = 1_000;
const leases: ControlLease[] = [];
function setup() {
  now = 1_000;
  const store = new StateStore(sampleState());
  const lease = new ControlLease(store, { now: () => now, leaseMs: { ws: 1_500, http: 30_000 } });
  leases.push(lease);
  for (const c of [alice, carol, bob])
    lease.connect({ clientId: c.clientId, user: c.user!, role: c.role!, transport: 'ws' });
  const lost: string[] = [];
  lease.onLost((h, reason) => lost.push(`${h.user} ${reason}`));
  return { store, lease, lost };
}
afterEach(() => {
  for (const l of leases.splice(0)) l.close();
});
const expire = (lease: ControlLease) => (lease as unknown as { expireIfDue(): void }).expireIfDue();

describe('control lease', () => {
  it('grants a free lease on an operator’s first mutating command and refuses everyone else, naming the holder', () => {
    const { store, lease } = setup();
    lease.authorise('stage.moveTo', 'mutating', alice);
    expect(store.state.control.holder).toMatchObject({
      clientId: 'ws1',
      user: 'alice',
      expiresAtMs: 2_500,
    });
    expect(() => lease.authorise('stage.moveTo', 'mutating', carol)).toThrow(
      expect.objectContaining({
        code: 'E_NOT_CONTROLLER',
        details: { holder: { user: 'alice', clientId: 'ws1' } },
      }),
    );
    expect(() => lease.authorise('laser.setEmission', 'mutating', bob)).toThrow(
      /bob is an observer; alice \(ws1\) is in control/,
    );
    // read and safety commands are never refused
    lease.authorise('plan.estimate', 'read', bob);
    lease.authorise('estop', 'safety', bob);
    lease.authorise('estop', 'safety', carol);
  });

  it('observers can neither hold nor request control, even when it is free', () => {
    const { store, lease } = setup();
    expect(() => lease.authorise('stage.stop', 'mutating', bob)).toThrow(
      expect.objectContaining({ code: 'E_NOT_CONTROLLER' }),
    );
    expect(() => lease.authorise('control.request', 'control', bob)).toThrow(
      expect.objectContaining({ code: 'E_FORBIDDEN' }),
    );
    expect(store.state.control.holder).toBeNull();
  });

  it('request → queued; handOver is the holder’s consent; release frees it', () => {
    const { store, lease, lost } = setup();
    expect(lease.request(alice)).toEqual({ granted: true, holder: 'ws1' });
    expect(lease.request(carol)).toEqual({ granted: false, holder: 'alice (ws1)' });
    expect(store.state.control.requests).toMatchObject([{ clientId: 'ws2', user: 'carol' }]);
    expect(() => lease.handOver(carol, 'ws2')).toThrow(/alice \(ws1\) is in control/);
    expect(() => lease.handOver(alice, 'ws3')).toThrow(/observer/);
    lease.handOver(alice, 'ws2');
    expect(store.state.control.holder?.clientId).toBe('ws2');
    expect(store.state.control.requests).toEqual([]);
    lease.release(carol);
    expect(store.state.control.holder).toBeNull();
    expect(lost).toEqual([]); // consensual changes never trip the watchdog
  });

  it('take: refused while the holder is alive, allowed after expiry, always allowed for the window', () => {
    const { store, lease, lost } = setup();
    lease.request(alice);
    expect(() => lease.take(carol)).toThrow(/alice \(ws1\) is in control and its lease is alive/);
    lease.take(desk);
    expect(store.state.control.holder).toMatchObject({ clientId: 'desktop', expiresAtMs: null });
    expect(lost).toEqual([]);
    now += 1_000_000; // local holders never expire
    expire(lease);
    expect(store.state.control.holder?.clientId).toBe('desktop');
    lease.release(desk);
    lease.take(carol);
    expect(store.state.control.holder?.clientId).toBe('ws2');
  });

  it('heartbeats (calls, pongs) keep a remote lease; silence expires it and tells the watchdog', () => {
    const { store, lease, lost } = setup();
    lease.request(alice);
    now += 1_000;
    lease.alive('ws1');
    now += 1_000;
    lease.authorise('stage.moveBy', 'mutating', alice);
    now += 1_000;
    expect(lease.heartbeat(alice).expiresAtMs).toBe(now + 1_500);
    expire(lease);
    expect(store.state.control.holder?.clientId).toBe('ws1');
    lease.alive('ws2'); // someone else's pong does not help
    now += 1_501;
    expire(lease);
    expect(store.state.control.holder).toBeNull();
    expect(lost).toEqual(['alice expired']);
  });

  it('a holder that disconnects loses the lease at once; clients and requests follow connections', () => {
    const { store, lease, lost } = setup();
    lease.request(alice);
    lease.request(carol);
    expect(store.state.control.clients.map((c) => c.clientId)).toEqual(['ws1', 'ws2', 'ws3']);
    lease.disconnect('ws2');
    expect(store.state.control.requests).toEqual([]);
    lease.disconnect('ws1');
    expect(lost).toEqual(['alice disconnected']);
    expect(store.state.control.clients.map((c) => c.clientId)).toEqual(['ws3']);
    expect(store.state.control.holder).toBeNull();
  });
});

describe('in-process callers', () => {
  it('are not held to the lease (they were authorised where they started)', () => {
    const { store, lease } = setup();
    lease.request(alice);
    lease.authorise('laser.allOff', 'mutating', { clientId: 'runner', transport: 'internal' });
    lease.authorise('stage.moveTo', 'mutating', { clientId: 'cli', transport: 'cli' });
    expect(store.state.control.holder?.clientId).toBe('ws1');
  });
});

describe('expiry timer after an event-loop stall', () => {
  it('skips one tick so pongs read meanwhile count, but never two in a row', () => {
    vi.useFakeTimers();
    try {
      let t = 0;
      const store = new StateStore(sampleState());
      const lease = new ControlLease(store, {
        now: () => t,
        leaseMs: { ws: 1_500, http: 30_000 },
        checkEveryMs: 100,
      });
      lease.connect({ clientId: 'ws1', user: 'alice', role: 'operator', transport: 'ws' });
      lease.request(alice); // expires at 1_500
      t = 2_000; // the host stalled for 2 s: the next tick is late
      vi.advanceTimersByTime(100);
      expect(store.state.control.holder?.clientId).toBe('ws1'); // skipped: pongs not yet read
      lease.alive('ws1'); // …the pong read in the I/O phase after the stall
      t = 2_100;
      vi.advanceTimersByTime(100);
      expect(store.state.control.holder?.clientId).toBe('ws1');
      t = 10_000; // stalled again, and no pong this time
      vi.advanceTimersByTime(100);
      expect(store.state.control.holder?.clientId).toBe('ws1');
      t = 20_000; // still stalling on every tick: expiry is not postponed forever
      vi.advanceTimersByTime(100);
      expect(store.state.control.holder).toBeNull();
      lease.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
