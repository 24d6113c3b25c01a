/** Who is in control, who watches, and observers' controls disabled (rendered to markup in Node). */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AppState, AuditEntry, ControlClient } from '../../../electron/api/contract';
import { HostClient } from '../../../renderer/state/host-client';
import { mirrorFromHello } from '../../../renderer/state/mirror';
import { createAppStore } from '../../../renderer/state/store';
import type { HostConnection } from '../../../renderer/transport/host-connection';
import { App } from '../../../renderer/ui/app';
import { AuditTable } from '../../../renderer/ui/audit-panel';
import { canControl } from '../../../renderer/ui/control-bar';
import { HostContext } from '../../../renderer/ui/host-context';
import { sampleState } from '../state/sample-state';

const idle: HostConnection = {
  transport: 'websocket',
  start: () => undefined,
  call: () => Promise.reject(new Error('not used')),
  setFramesEnabled: () => undefined,
  ackFrame: () => undefined,
  resync: () => undefined,
  close: () => undefined,
};

const client = (clientId: string, user: string, role: 'operator' | 'observer'): ControlClient => ({
  clientId,
  user,
  role,
  transport: 'ws',
  connectedAtMs: 0,
});
const alice = client('ws1', 'alice', 'operator');
const bob = client('ws2', 'bob', 'observer');
const carol = client('ws3', 'carol', 'operator');

function withControl(
  holder: ControlClient | null,
  requests: AppState['control']['requests'] = [],
): AppState {
  const s = sampleState();
  s.control = {
    holder: holder && { ...holder, sinceMs: 0, expiresAtMs: 1_500 },
    clients: [alice, bob, carol],
    requests,
  };
  return s;
}

function render(state: AppState, me: string): string {
  const store = createAppStore({
    mirror: mirrorFromHello(state, 1),
    clientId: me,
    link: { state: 'connected', detail: null, transport: 'websocket' },
  });
  return renderToStaticMarkup(
    <HostContext.Provider value={new HostClient(idle, store)}>
      <App />
    </HostContext.Provider>,
  );
}

const gateDisabled = (html: string) =>
  /<fieldset[^>]*disabled=""[^>]*data-testid="control-gate"/.test(html);
const textOf = (html: string, id: string) =>
  new RegExp(`data-testid="${id}"[^>]*>(.*?)</`, 's').exec(html)?.[1]?.replace(/<[^>]+>/g, '') ??
  null;

describe('control bar and the control gate', () => {
  it('an observer sees who is in control, who watches, and every control disabled — except E-STOP', () => {
    const html = render(withControl(alice), 'ws2');
    expect(textOf(html, 'control-holder')).toBe('alice (ws1) is in control');
    expect(textOf(html, 'control-watchers')).toBe('Watching: bob, carol');
    expect(gateDisabled(html)).toBe(true);
    expect(html).not.toContain('data-testid="control-request"'); // observers cannot ask
    expect(html).toMatch(/<button type="button" class="estop" data-testid="estop"/);
    expect(html).not.toMatch(/data-testid="estop"[^>]*disabled/);
  });

  it('the holder has live controls, a release button and the pending requests to hand over to', () => {
    const html = render(withControl(alice, [{ clientId: 'ws3', user: 'carol', atMs: 0 }]), 'ws1');
    expect(textOf(html, 'control-holder')).toBe('You are in control');
    expect(gateDisabled(html)).toBe(false);
    expect(html).toContain('data-testid="control-release"');
    expect(html).toContain('data-testid="control-request-ws3"');
  });

  it('another operator waits (disabled) and can request or take; with nobody in control it may act', () => {
    const waiting = render(withControl(alice), 'ws3');
    expect(gateDisabled(waiting)).toBe(true);
    expect(waiting).toContain('data-testid="control-request"');
    expect(waiting).toContain('data-testid="control-take"');
    expect(gateDisabled(render(withControl(null), 'ws3'))).toBe(false);
    expect(gateDisabled(render(withControl(null), 'ws2'))).toBe(true);
  });

  it('canControl: holder, free lease for operators only, nothing before the first state', () => {
    expect(canControl(withControl(alice), 'ws1')).toBe(true);
    expect(canControl(withControl(alice), 'ws3')).toBe(false);
    expect(canControl(withControl(null), 'ws3')).toBe(true);
    expect(canControl(withControl(null), 'ws2')).toBe(false);
    expect(canControl(withControl(null), 'unknown')).toBe(false);
    expect(canControl(null, 'ws1')).toBe(false);
    expect(canControl(withControl(null), null)).toBe(false);
  });
});

describe('audit panel', () => {
  it('lists entries newest first with user, command and result; stays usable for observers', () => {
    const entries: AuditEntry[] = [
      {
        seq: 1,
        timeMs: 0,
        user: 'alice',
        clientId: 'ws1',
        transport: 'ws',
        command: 'control.request',
        args: {},
        ok: true,
        ms: 1,
      },
      {
        seq: 2,
        timeMs: 1,
        user: 'bob',
        clientId: 'ws2',
        transport: 'ws',
        command: 'stage.moveTo',
        args: { xUm: 1 },
        ok: false,
        code: 'E_NOT_CONTROLLER',
        ms: 1,
      },
    ];
    const html = renderToStaticMarkup(<AuditTable entries={entries} />);
    expect(html.indexOf('audit-2')).toBeLessThan(html.indexOf('audit-1'));
    expect(html).toMatch(
      /<td>bob<\/td><td>stage\.moveTo<\/td><td class="bad">E_NOT_CONTROLLER<\/td>/,
    );
    expect(html).toMatch(/<td>alice<\/td><td>control\.request<\/td><td class="ok">ok<\/td>/);
    expect(renderToStaticMarkup(<AuditTable entries={[]} />)).toContain('No matching entries');
    // the panel sits outside the control gate: an observer can still query
    const page = render(withControl(alice), 'ws2');
    const gateEnd = page.indexOf('</fieldset>');
    expect(page.indexOf('data-testid="audit-panel"')).toBeGreaterThan(gateEnd);
    expect(page).not.toMatch(/data-testid="audit-load"[^>]*disabled/);
  });
});
