/**
 * The React panels rendered to markup in Node (react-dom/server, no DOM): what the
 * operator sees for a given host state. Effects (the live view's render loop) do not run.
 */
import { describe, expect, it } from 'vitest';
import { sampleState } from '../state/sample-state';
import { render, textOf } from './render-app';

describe('UI panels', () => {
  it('shows positions, limits and the laser lines of the mirrored state', () => {
    const s = sampleState();
    s.stage = { id: 'stage', xUm: 1234.5, yUm: -20, busy: true };
    const html = render(s);
    expect(textOf(html, 'stage-x')).toBe('1234.50');
    expect(textOf(html, 'stage-y')).toBe('-20.00');
    expect(textOf(html, 'stage-z')).toBe('50.00');
    expect(textOf(html, 'limit-z')).toBe('0 … 200');
    expect(textOf(html, 'stage-busy')).toBe('moving');
    expect(html).toContain('data-testid="laser-l488-emission"');
    expect(textOf(html, 'laser-l488-max')).toBe('max 100 mW');
    expect(html).toMatch(/data-testid="connection-state" data-state="connected"/);
  });

  it('latched E-stop: banner with the reason and a reset button; none otherwise', () => {
    expect(render(sampleState())).not.toContain('estop-banner');
    const s = sampleState();
    s.safety = { ...s.safety, estopLatched: true, estopReason: 'pressed by alice' };
    const html = render(s);
    expect(textOf(html, 'estop-banner')).toMatch(/^EMERGENCY STOP LATCHED — pressed by alice\./);
    expect(html).toContain('data-testid="estop-reset"');
    expect(html).toContain('data-testid="estop"');
  });

  it('shows a device error with its code, and the unauthorised banner', () => {
    const s = sampleState();
    s.devices.stage = {
      ...s.devices.stage!,
      connection: 'disconnected',
      lastError: { name: 'TimeoutError', code: 'E_TIMEOUT', message: 'no reply in 500 ms' },
    };
    const html = render(s, {
      link: {
        state: 'unauthorised',
        detail: 'Not authorised — open the URL with ?token=…',
        transport: 'websocket',
      },
    });
    expect(textOf(html, 'device-stage-connection')).toBe('disconnected');
    expect(textOf(html, 'device-stage-error')).toBe('E_TIMEOUT: no reply in 500 ms');
    expect(textOf(html, 'auth-banner')).toBe('Not authorised — open the URL with ?token=…');
  });

  it('renders without any state yet (before hello), E-stop still present', () => {
    const html = render(null, {
      link: { state: 'connecting', detail: null, transport: 'websocket' },
    });
    expect(textOf(html, 'stage-x')).toBe('—');
    expect(html).toContain('data-testid="estop"');
    expect(html).toContain('No camera configured.');
  });
});
