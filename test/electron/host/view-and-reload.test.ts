/**
 * Issue #18 §4 on the host: what a reloaded or second page is given — the view settings
 * (view.set), the recent events and the running plan.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../electron/config/load';
import type { CallContext } from '../../../electron/host/command-handlers';
import { createHost, type Host } from '../../../electron/host/host';
import { smallSimConfig } from '../../support/host-fixture';
import { tempDir } from '../../support/temp-dir';

const ctx: CallContext = { clientId: 'view-test', transport: 'internal' };
let host: Host;

beforeEach(async () => {
  const config = smallSimConfig({ storage: { datasetsRoot: tempDir('aquila-view-') } });
  host = await createHost(
    { path: '/test/view.json', config: parseConfig(JSON.stringify(config), 'test') },
    { log: { log: () => undefined }, dataDir: tempDir('aquila-view-home-') },
  );
});
afterEach(async () => {
  await host.shutdown('test end');
});

describe('what a new page is given', () => {
  it('view settings: defaults, partial updates, bad values refused by name', async () => {
    expect(host.store.state.view).toEqual({ tab: 'control', jogStepUm: 100, jogStepZUm: 1 });
    // The configured stage-to-camera orientation (issue #18 §7), for the jog pad and keys.
    expect(host.store.state.stageOrientation).toEqual({
      flipX: false,
      flipY: false,
      rotate90: false,
    });
    expect(await host.call('view.set', { tab: 'acquire', jogStepUm: 10 }, ctx)).toMatchObject({
      ok: true,
    });
    expect(host.store.state.view).toEqual({ tab: 'acquire', jogStepUm: 10, jogStepZUm: 1 });
    // Tab clicks do not fill the audit trail.
    expect(host.audit.query({ command: 'view.set' })).toEqual([]);
    const bad = await host.call('view.set', { tab: 'nowhere', jogStepZUm: -1 }, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'E_INVALID' } });
    if (!bad.ok) expect(bad.error.message).toMatch(/tab[\s\S]*jogStepZUm/);
    expect(host.store.state.view).toEqual({ tab: 'acquire', jogStepUm: 10, jogStepZUm: 1 });
  });

  it('recent events: the last 100, oldest first', async () => {
    for (let i = 0; i < 120; i++) host.log.log('info', `event ${i}`);
    const recent = host.recentEvents();
    expect(recent).toHaveLength(100);
    expect(recent[0]).toMatchObject({ type: 'log', message: 'event 20' });
    expect(recent.at(-1)).toMatchObject({ type: 'log', message: 'event 119' });
  });

  it('the run carries its plan (set once, kept through status updates) and where it is', async () => {
    const plan = { channels: [{ config: 'GFP' }], time_plan: { interval: 0.05, loops: 3 } };
    expect((await host.call('run.start', { plan, name: 'with-plan' }, ctx)).ok).toBe(true);
    expect(host.store.state.run?.plan).toEqual(plan);
    await host.acquisition.whenIdle();
    expect(host.store.state.run).toMatchObject({ state: 'finished', framesWritten: 3, plan });
    // Where it is (issue #18 §9): at the end, the last event.
    expect(host.store.state.run?.axisSizes).toEqual({ t: 3, c: 1 });
    expect(host.store.state.run?.current).toMatchObject({ index: { t: 2, c: 0 }, channel: 'GFP' });
  });
});
