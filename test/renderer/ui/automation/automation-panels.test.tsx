/** The Automate tab rendered to markup for given host states (no DOM, effects do not run). */
import { describe, expect, it } from 'vitest';
import { sampleState } from '../../state/sample-state';
import { render, textOf } from '../render-app';

describe('Automate tab', () => {
  it('focus lock: absent without a sensor; state, calibration and reason when present', () => {
    expect(textOf(render(sampleState()), 'focus-lock-panel')).toBe('Focus lock');
    expect(render(sampleState())).toContain('No focus sensor configured.');
    const s = sampleState();
    s.focusLock = {
      state: 'lost',
      errorUm: 2.5,
      offsetUm: 0.5,
      signal: 0.01,
      calibrated: true,
      rmsErrorUm: 0.0123,
      reason: 'no spot on the focus sensor',
    };
    const html = render(s);
    expect(html).toMatch(/data-testid="focus-lock-state" data-state="lost"/);
    expect(textOf(html, 'focus-lock-calibrated')).toBe('calibrated');
    expect(textOf(html, 'focus-lock-reason')).toBe('no spot on the focus sensor');
    expect(textOf(html, 'focus-lock-error')).toBe('2500 nm');
    expect(textOf(html, 'focus-lock-rms')).toBe('12 nm');
    expect(html).toMatch(/data-testid="focus-lock-offset"[^>]*value="0.50"/);
    // Engaged (lost is still engaged): the button unlocks; calibrating is refused meanwhile.
    expect(html).toMatch(
      /aria-pressed="true"[^>]*data-testid="focus-lock-toggle"|data-testid="focus-lock-toggle"[^>]*aria-pressed="true"/,
    );
    expect(textOf(html, 'focus-lock-toggle')).toBe('Unlock');
    expect(html).toMatch(/data-testid="focus-lock-calibrate" disabled/);
  });

  it('focus lock: Lock is disabled until calibrated', () => {
    const s = sampleState();
    s.focusLock = {
      state: 'off',
      errorUm: null,
      offsetUm: 0,
      signal: 1,
      calibrated: false,
      rmsErrorUm: null,
    };
    const html = render(s);
    expect(textOf(html, 'focus-lock-toggle')).toBe('Lock');
    expect(html).toMatch(/data-testid="focus-lock-toggle"[^>]*disabled/);
    const t = sampleState();
    t.focusLock = {
      state: 'off',
      errorUm: null,
      offsetUm: 0,
      signal: 1,
      calibrated: true,
      rmsErrorUm: null,
    };
    expect(render(t)).not.toMatch(/data-testid="focus-lock-toggle"[^>]*disabled/);
  });

  it('observers: every automation control sits inside the disabled control gate', () => {
    const s = sampleState();
    s.focusLock = {
      state: 'off',
      errorUm: null,
      offsetUm: 0,
      signal: 1,
      calibrated: true,
      rmsErrorUm: null,
    };
    const watcher = { user: 'bob', transport: 'ws', connectedAtMs: 0 } as const;
    s.control = {
      holder: {
        clientId: 'ws1',
        user: 'alice',
        role: 'operator',
        transport: 'ws',
        connectedAtMs: 0,
        sinceMs: 0,
        expiresAtMs: 1_500,
      },
      clients: [{ ...watcher, clientId: 'ws2', role: 'observer' }],
      requests: [],
    };
    s.automation = {
      name: 'r',
      dir: '/d/r',
      phase: 'finished',
      pauseRequested: false,
      tileIndex: 0,
      tileTotal: 1,
      currentRoi: null,
      found: 1,
      imaged: 1,
      skipped: 0,
      remaining: 0,
      rois: [{ id: 0, tile: 0, xUm: 1, yUm: 2, state: 'imaged', frames: 3 }],
      etaS: null,
      startedAtMs: 0,
      endedAtMs: 1,
      failure: null,
      report: null,
    };
    const html = render(s, { clientId: 'ws2' });
    // SVG clicks are not covered by the fieldset: the mosaic ignores them for observers.
    expect(html).toMatch(/data-testid="mosaic" data-clickable="false"/);
    expect(render(s, { clientId: 'ws1' })).toMatch(/data-testid="mosaic" data-clickable="true"/);
    const gate = /<fieldset[^>]*disabled=""[^>]*data-testid="control-gate">(.*)<\/fieldset>/s.exec(
      html,
    );
    expect(gate).not.toBeNull();
    for (const id of [
      'autofocus-run',
      'focus-lock-calibrate',
      'focus-lock-toggle',
      'roi-find',
      'flimp-plan-load',
      'automation-start',
    ]) {
      expect(gate![1], id).toContain(`data-testid="${id}"`);
    }
    // The holder's own page: the gate is open.
    expect(render(s, { clientId: 'ws1' })).not.toMatch(
      /<fieldset[^>]*disabled=""[^>]*data-testid="control-gate"/,
    );
  });
});
