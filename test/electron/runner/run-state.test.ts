import { describe, expect, it } from 'vitest';
import { assertTransition, canTransition, isTerminal } from '../../../electron/runner/run-state';
import type { RunState } from '../../../electron/runner/types';

const ALL: RunState[] = [
  'idle',
  'running',
  'paused',
  'cancelling',
  'finished',
  'failed',
  'cancelled',
];

describe('run state machine', () => {
  it('allows exactly the documented transitions', () => {
    const allowed = ALL.flatMap((from) =>
      ALL.filter((to) => canTransition(from, to)).map((to) => `${from}>${to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        'idle>running',
        'running>paused',
        'running>cancelling',
        'running>finished',
        'running>failed',
        'paused>running',
        'paused>cancelling',
        'paused>failed',
        'cancelling>cancelled',
        'cancelling>failed',
      ].sort(),
    );
  });

  it('has no way out of terminal states and names illegal moves', () => {
    expect(ALL.filter(isTerminal)).toEqual(['finished', 'failed', 'cancelled']);
    expect(() => assertTransition('idle', 'paused')).toThrow('run cannot go from idle to paused');
  });
});
