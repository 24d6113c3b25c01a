/** The Macros tab: completion of `aquila.…`, parameters, and a macro's output as the operator sees it. */
import { describe, expect, it } from 'vitest';
import type { MacroView } from '../../../../electron/api/contract';
import { completeAquila, parseParams } from '../../../../renderer/ui/macros/completions';
import { formatReport } from '../../../../renderer/ui/macros/macro-output';
import { sampleState } from '../../state/sample-state';
import { render, textOf } from '../render-app';

const entries = [
  {
    label: 'aquila.stage.moveTo',
    detail: '(params: { xUm: number; yUm: number; }) => Promise<…>',
    info: 'Move',
  },
  { label: 'aquila.stage.moveBy', detail: '(params) => Promise<…>', info: 'Step' },
  { label: 'aquila.state', detail: '() => Promise<AppState>', info: 'State' },
  { label: 'aquila.params', detail: 'Record<string, string | number | boolean>', info: 'Params' },
  { label: 'aquila.estop', detail: '(params?: {}) => Promise<…>', info: 'E-stop' },
];

describe('completion of aquila.…', () => {
  it('offers the next level of the path being typed', () => {
    const r = completeAquila('  const p = await aquila.st', entries);
    expect(r?.options.map((o) => [o.label, o.type])).toEqual([
      ['stage', 'namespace'],
      ['state', 'function'],
    ]);
    expect(r?.from).toBe('  const p = await aquila.'.length);
    const m = completeAquila('aquila.stage.mo', entries);
    expect(m?.options.map((o) => o.label)).toEqual(['moveBy', 'moveTo']);
    expect(m?.options[1]).toMatchObject({
      detail: expect.stringContaining('xUm: number'),
      info: 'Move',
    });
    expect(completeAquila('aquila.', entries)?.options.map((o) => o.label)).toEqual([
      'estop',
      'params',
      'stage',
      'state',
    ]);
    expect(completeAquila('aquila.params', entries)?.options[0]?.type).toBe('property');
  });

  it('offers nothing outside an aquila path', () => {
    expect(completeAquila('const x = foo.st', entries)).toBeNull();
    expect(completeAquila('myaquila.st', entries)).toBeNull();
    expect(completeAquila('aquila.nothing.', entries)).toBeNull();
  });
});

describe('macro parameters', () => {
  it('reads KEY=VALUE lines and commas, typed as the CLI does', () => {
    expect(parseParams('n=3\nflag=true, name=GFP \n\n s=a=b')).toEqual({
      n: 3,
      flag: true,
      name: 'GFP',
      s: 'a=b',
    });
    expect(() => parseParams('oops')).toThrow(/parameter "oops": write KEY=VALUE/);
  });
});

function macro(over: Partial<MacroView> = {}): MacroView {
  return {
    id: 'm1',
    name: 'z-stack-at-rois',
    dryRun: false,
    phase: 'running',
    user: 'ana',
    startedAtMs: 1,
    endedAtMs: null,
    progress: { fraction: 0.4, message: 'field 2' },
    console: [],
    consoleDropped: 0,
    calls: 3,
    error: null,
    report: null,
    ...over,
  };
}

describe('the Macros tab in the app', () => {
  it('has a tab, and lists running macros with an Abort outside the control gate', () => {
    const state = sampleState();
    state.macros = [macro(), macro({ id: 'm2', phase: 'finished' })];
    // someone else holds control: the gate disables the tab's inputs, not Abort
    state.control.holder = {
      clientId: 'other',
      user: 'bob',
      role: 'operator',
      transport: 'ws',
      connectedAtMs: 0,
      sinceMs: 0,
      expiresAtMs: null,
    };
    const html = render(state, { clientId: 'me' });
    expect(html).toContain('data-testid="tab-macros"');
    expect(html).toContain('data-testid="macros-tab"');
    expect(textOf(html, 'macros-running')).toBe('Running macros');
    expect(html).toContain('data-testid="macro-running-m1"');
    expect(html).not.toContain('data-testid="macro-running-m2"');
    const abort = /<button[^>]*data-testid="macro-abort-m1"[^>]*>/.exec(html)![0];
    expect(abort).not.toContain('disabled');
    const gate = html.indexOf('data-testid="control-gate"');
    const gateEnd = html.indexOf('</fieldset>', gate);
    expect(html.indexOf('data-testid="macro-abort-m1"')).toBeGreaterThan(gateEnd);
  });

  it('formats a dry-run report line by line, refusals included', () => {
    expect(
      formatReport({
        durationS: 62.25,
        sleptS: 60,
        frames: 3,
        bytes: 393_216,
        stageTravelUm: 400,
        focusTravelUm: 12,
        laserDoseMj: { laser488: 1.5 },
        exposureDoseMj: { laser488: 0.6 },
        refusals: [
          {
            command: 'stage.moveTo',
            code: 'E_LIMIT',
            message: 'x = 5000 µm is above the X maximum 1000 µm',
          },
        ],
      }),
    ).toEqual([
      '62.3 s, 3 frames, 0.4 MB',
      'stage 0.400 mm, focus 12.0 µm',
      'laser dose: laser488 1.500 mJ (0.600 exposing)',
      '1 refused call',
      'stage.moveTo: E_LIMIT: x = 5000 µm is above the X maximum 1000 µm',
    ]);
  });
});
