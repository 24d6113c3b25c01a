/** Device alarms as every client shows them: red for a laser not confirmed off, persistent. */
import { describe, expect, it } from 'vitest';
import type { AppState, DeviceAlarm } from '../../../electron/api/contract';
import { sampleState } from '../state/sample-state';
import { render, textOf } from './render-app';

function withAlarms(laser: DeviceAlarm[], stage: DeviceAlarm[] = []): AppState {
  const s = sampleState();
  s.devices.stage = { ...s.devices.stage!, alarms: stage };
  s.devices.l488 = {
    id: 'l488',
    kind: 'laser',
    driver: 'cobolt',
    connection: 'connected',
    identity: null,
    lastError: null,
    alarms: laser,
  };
  return s;
}

const offUnconfirmed: DeviceAlarm = {
  code: 'E_OFF_UNCONFIRMED',
  message: 'l488 did not confirm off: emission state is not a number',
  sinceMs: 1,
};

/** The opening tag of the element carrying data-testid=id. */
const tagOf = (html: string, id: string) =>
  new RegExp(`<[^>]*data-testid="${id}"[^>]*>`).exec(html)?.[0];

describe('device alarms', () => {
  it('shows nothing while no device has an alarm', () => {
    expect(render(withAlarms([]))).not.toContain('device-alarms');
  });

  it('shows a laser not confirmed off as a red alert with its message, without a dismiss', () => {
    const html = render(withAlarms([offUnconfirmed]));
    expect(tagOf(html, 'device-alarms')).toContain('role="alert"');
    const tag = tagOf(html, 'alarm-l488-E_OFF_UNCONFIRMED');
    expect(tag).toContain('alarm-danger');
    expect(textOf(html, 'alarm-l488-E_OFF_UNCONFIRMED')).toBe('E_OFF_UNCONFIRMED');
    expect(html).toContain('l488 did not confirm off: emission state is not a number');
    expect(html).not.toMatch(/data-testid="alarm-l488-[^"]*(dismiss|confirm)"/);
    // Shown on every tab: it sits above the workspace, outside the tab panels.
    expect(html.indexOf('data-testid="device-alarms"')).toBeLessThan(
      html.indexOf('role="tabpanel"'),
    );
  });

  it('shows an unreachable laser red and an untrusted stage amber with its confirmation', () => {
    const html = render(
      withAlarms(
        [
          {
            code: 'E_UNREACHABLE',
            message: 'l488 unreachable; emission state unknown',
            sinceMs: 1,
          },
        ],
        [{ code: 'E_POSITION_UNTRUSTED', message: 'stage: position not trusted', sinceMs: 2 }],
      ),
    );
    expect(tagOf(html, 'alarm-l488-E_UNREACHABLE')).toContain('alarm-danger');
    expect(tagOf(html, 'alarm-stage-E_POSITION_UNTRUSTED')).toContain('alarm-warn');
    expect(html).toContain('data-testid="alarm-stage-confirm"');
  });

  it('shows a lost safety supervisor as a red alarm, and nothing while it is armed', () => {
    const supervised = (state: 'armed' | 'lost') => {
      const s = withAlarms([]);
      s.safety.supervisor = { state, pid: 42, message: 'it exited with 1', lastReport: null };
      return render(s);
    };
    expect(supervised('armed')).not.toContain('device-alarms');
    const html = supervised('lost');
    expect(tagOf(html, 'alarm-supervisor-lost')).toContain('alarm-danger');
    expect(html).toMatch(
      /The host runs unsupervised: if it\s+dies, nothing switches the lasers off\. it exited with 1/,
    );
  });

  it('shows a laser interlock that is open or unknown on its row, nothing when closed', () => {
    const laserWith = (interlock: 'closed' | 'open' | 'unknown') => {
      const s = withAlarms([]);
      s.lasers.l488 = { ...s.lasers.l488!, interlock };
      return render(s);
    };
    expect(laserWith('closed')).not.toContain('laser-l488-interlock');
    expect(textOf(laserWith('open'), 'laser-l488-interlock')).toBe('interlock open');
    expect(textOf(laserWith('unknown'), 'laser-l488-interlock')).toBe('interlock unknown');
  });
});
