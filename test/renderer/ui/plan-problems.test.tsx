/**
 * Issue #18 in the renderer, rendered to markup in Node: the host's plan problems shown at
 * their form fields (and the rest in one list); the laser panel's armed line, auto-shutter
 * switch and live-stop reason.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AppState, LaserState, PlanProblem } from '../../../electron/api/contract';
import { HostClient } from '../../../renderer/state/host-client';
import { mirrorFromHello } from '../../../renderer/state/mirror';
import { createAppStore } from '../../../renderer/state/store';
import type { HostConnection } from '../../../renderer/transport/host-connection';
import { HostContext } from '../../../renderer/ui/host-context';
import { LaserPanel } from '../../../renderer/ui/laser-panel';
import { emptyPlanForm } from '../../../renderer/ui/plan-builder';
import { PlanFormView, shownAtField } from '../../../renderer/ui/plan-form';
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

function render(s: AppState, node: React.ReactNode): string {
  const store = createAppStore({
    mirror: mirrorFromHello(s, 1),
    link: { state: 'connected', detail: null, transport: 'websocket' },
  });
  return renderToStaticMarkup(
    <HostContext.Provider value={new HostClient(idle, store)}>{node}</HostContext.Provider>,
  );
}

const listOf = (html: string, id: string): string[] | null => {
  const m = new RegExp(`<ul[^>]*data-testid="${id}"[^>]*>(.*?)</ul>`, 's').exec(html);
  return m
    ? [...m[1]!.matchAll(/<li class="(\w+)">(.*?)<\/li>/g)].map((x) => `${x[1]} ${x[2]}`)
    : null;
};

const problems: PlanProblem[] = [
  { severity: 'error', path: 'channels[0].config', message: 'FITC is not a channel preset' },
  { severity: 'warning', path: 'channels', message: '9 frames without a channel' },
  {
    severity: 'error',
    path: 'z_plan.range',
    message: 'z 500 µm is above the upper limit of 200 µm',
  },
  {
    severity: 'error',
    path: 'stage_positions[1].x',
    message: 'x 1500 µm is above the upper limit of 1000 µm',
  },
  { severity: 'error', path: '(top level)', message: 'this instrument has no camera' },
];

describe('plan problems at their fields', () => {
  it('shows channel, z and position problems where they belong, with their severity', () => {
    const form = {
      ...emptyPlanForm(['GFP']),
      positions: [
        { name: 'P1', xUm: 0, yUm: 0, zUm: null },
        { name: 'P2', xUm: 1500, yUm: 0, zUm: null },
      ],
    };
    const html = render(
      sampleState(),
      <PlanFormView
        form={form}
        onChange={() => undefined}
        presets={[]}
        disabled={false}
        problems={problems}
      />,
    );
    expect(listOf(html, 'acq-problems-channels')).toEqual([
      'error FITC is not a channel preset',
      'warning 9 frames without a channel',
    ]);
    expect(listOf(html, 'acq-problems-z')).toEqual([
      'error z 500 µm is above the upper limit of 200 µm',
    ]);
    expect(listOf(html, 'acq-problems-position-0')).toBeNull();
    expect(listOf(html, 'acq-problems-position-1')).toEqual([
      'error x 1500 µm is above the upper limit of 1000 µm',
    ]);
    expect(listOf(html, 'acq-problems-grid')).toBeNull();
    // The whole-plan problem has no field: the panel lists it.
    expect(problems.filter((p) => !shownAtField(p, 2)).map((p) => p.path)).toEqual(['(top level)']);
    expect(problems.filter((p) => !shownAtField(p, 1)).map((p) => p.path)).toEqual([
      'stage_positions[1].x',
      '(top level)',
    ]);
  });

  it('no problems: no lists', () => {
    const html = render(
      sampleState(),
      <PlanFormView
        form={emptyPlanForm(['GFP'])}
        onChange={() => undefined}
        presets={[]}
        disabled={false}
      />,
    );
    expect(html).not.toContain('plan-problems');
  });
});

describe('laser panel and auto-shutter', () => {
  it('an armed line says armed, not ON; auto-shutter off is a warning; live-stop reason shown', () => {
    const withLaser = (laser: Partial<LaserState>, shutter: AppState['shutter']): AppState => {
      const s = sampleState();
      return { ...s, lasers: { l488: { ...s.lasers.l488!, ...laser } }, shutter };
    };
    const on = render(
      withLaser({ armed: true, emission: false }, { auto: true, liveStopReason: null }),
      <LaserPanel />,
    );
    expect(on).toMatch(/data-testid="laser-l488-armed"[^>]*>armed</);
    expect(on).toMatch(/data-testid="lasers-auto-shutter"[^>]*>auto-shutter on</);
    expect(on).not.toContain('lasers-auto-shutter-off');

    const off = render(
      withLaser(
        { armed: true, emission: true },
        { auto: false, liveStopReason: 'Live view stopped: no client watched it' },
      ),
      <LaserPanel />,
    );
    expect(off).not.toContain('laser-l488-armed');
    expect(off).toMatch(/data-testid="lasers-auto-shutter"[^>]*>auto-shutter OFF</);
    expect(off).toContain('data-testid="lasers-auto-shutter-off"');
    expect(off).toMatch(/data-testid="lasers-live-stopped"[^>]*>Live view stopped/);
  });
});
