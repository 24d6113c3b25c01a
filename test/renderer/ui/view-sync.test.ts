import { describe, expect, it } from 'vitest';
import type { AppState } from '../../../electron/api/contract';
import { mirrorFromHello } from '../../../renderer/state/mirror';
import { createAppStore } from '../../../renderer/state/store';
import { viewToSend } from '../../../renderer/ui/view-sync';
import { sampleState } from '../state/sample-state';

function store(holder: string | null) {
  const s: AppState = {
    ...sampleState(),
    view: { tab: 'control', jogStepUm: 100, jogStepZUm: 1 },
    control: {
      holder: holder ? { clientId: holder, user: 'alice', sinceMs: 0, expiresAtMs: null } : null,
      clients: [],
      requests: [],
    } as AppState['control'],
  };
  return createAppStore({ mirror: mirrorFromHello(s, 1), clientId: 'me' });
}

describe('viewToSend', () => {
  it('sends the page view only when it differs and the page holds control', () => {
    const mine = store('me');
    expect(viewToSend(mine.getState())).toBeNull();
    mine.getState().setTab('acquire');
    mine.getState().setJogStepUm(10);
    expect(viewToSend(mine.getState())).toEqual({ tab: 'acquire', jogStepUm: 10, jogStepZUm: 1 });

    for (const holder of [null, 'someone-else']) {
      const other = store(holder);
      other.getState().setTab('data');
      expect(viewToSend(other.getState())).toBeNull();
    }
  });
});
