/**
 * Issue #18 items 5–7 in the rendered UI: controls locked while the e-stop is latched, a
 * channel chip selected only while its line is, one counted notice with a details line,
 * refusals in the event list in words, the orientation check's verdict.
 */
import { describe, expect, it } from 'vitest';
import type { AppState } from '../../../electron/api/contract';
import { channelSelected } from '../../../renderer/ui/camera-panel';
import { eventText } from '../../../renderer/ui/notices';
import { orientationVerdict } from '../../../renderer/ui/orientation-check';
import { sampleState } from '../state/sample-state';
import { render, textOf } from './render-app';

const gateDisabled = (html: string) =>
  /<fieldset[^>]*data-testid="estop-gate"[^>]*>/.exec(html)![0].includes('disabled');

function withCamera(s: AppState): AppState {
  s.camera = {
    id: 'cam',
    widthPx: 64,
    heightPx: 64,
    pixelSizeUm: 1,
    bitDepth: 12,
    exposureMs: 10,
    binning: 1,
    roi: null,
    live: false,
    framesAcquired: 0,
    framesDropped: 0,
  };
  s.channels = [{ name: 'GFP', laserId: 'l488', powerMw: 20, exposureMs: 10 }];
  return s;
}

describe('e-stop latch in the UI', () => {
  it('locks the control, acquire and automate tabs while latched, and only then', () => {
    expect(gateDisabled(render(sampleState()))).toBe(false);
    const s = sampleState();
    s.safety = { ...s.safety, estopLatched: true, estopReason: 'pressed' };
    const html = render(s);
    expect(gateDisabled(html)).toBe(true);
    expect(textOf(html, 'estop-banner')).toMatch(/Controls are locked until the e-stop is reset/);
    // Reset asks first: the header shows the button, not the question.
    expect(html).toContain('data-testid="estop-reset"');
    expect(html).not.toContain('data-testid="estop-reset-confirm"');
  });

  it('a chip is selected only while its line is armed or emitting', () => {
    const preset = { name: 'GFP', laserId: 'l488', powerMw: 20, exposureMs: 10 };
    const line = sampleState().lasers.l488!;
    expect(channelSelected(preset, 'GFP', { l488: { ...line, armed: true } })).toBe(true);
    expect(channelSelected(preset, 'GFP', { l488: { ...line, emission: true } })).toBe(true);
    expect(channelSelected(preset, 'GFP', { l488: { ...line, armed: false } })).toBe(false);
    expect(channelSelected(preset, 'Cy5', { l488: { ...line, armed: true } })).toBe(false);
    expect(channelSelected(preset, 'GFP', {})).toBe(false);
    const chip = (armed: boolean) => {
      const s = withCamera(sampleState());
      s.activeChannel = 'GFP';
      s.lasers = { l488: { ...line, armed } };
      return render(s);
    };
    expect(chip(false)).toMatch(/class="chip"[^>]*data-testid="channel-GFP" aria-pressed="false"/);
    expect(chip(true)).toMatch(/class="chip on"[^>]*data-testid="channel-GFP" aria-pressed="true"/);
  });
});

describe('errors in words', () => {
  it('a repeated notice is counted, with its details line', () => {
    const html = render(sampleState(), {
      notices: [
        {
          id: 1,
          level: 'error',
          text: "200 mW is above this laser's maximum of 100 mW (l488).",
          detail: 'laser.setPower · E_LIMIT',
          key: 'laser.setPower:l488',
          count: 2,
          timeMs: 0,
        },
      ],
    });
    expect(html.match(/data-testid="toast"/g)).toHaveLength(1);
    expect(textOf(html, 'toast-count')).toBe(' ×2');
    expect(textOf(html, 'toast-detail')).toBe('laser.setPower · E_LIMIT');
  });

  it('a refusal in the event list reads as a sentence with who and the code', () => {
    expect(
      eventText({
        type: 'refused',
        command: 'stage.moveTo',
        user: 'alice',
        error: {
          name: 'LimitError',
          code: 'E_LIMIT',
          message: 'm',
          details: { axis: 'x', valueUm: 1500, minUm: -1000, maxUm: 1000 },
        },
        timeMs: 0,
      }),
    ).toBe(
      'Refused stage.moveTo (alice): Stage X 1500 µm is above the maximum of 1000 µm; nothing moved. [E_LIMIT]',
    );
  });
});

describe('orientation check verdict', () => {
  const identity = { flipX: false, flipY: false, rotate90: false };
  const shifts = { afterXPx: { xPx: 50, yPx: 0 }, afterYPx: { xPx: 0, yPx: 50 } };
  it('says the arrows are right, or what to put in the config', () => {
    expect(
      orientationVerdict({ ...shifts, measured: identity, configured: identity, matches: true }),
    ).toMatch(/matches the image/);
    expect(
      orientationVerdict({
        ...shifts,
        measured: { ...identity, flipY: true },
        configured: identity,
        matches: false,
      }),
    ).toBe(
      'The image moved differently: set "stageOrientation": { "flipX": false, "flipY": true, "rotate90": false } in the config (now { "flipX": false, "flipY": false, "rotate90": false }) and restart.',
    );
  });
});
