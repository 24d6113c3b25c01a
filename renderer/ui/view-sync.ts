/**
 * Sends this page's view settings (tab, jog steps) to the host while the page holds the
 * control lease, so a reload or a second page opens with the same picture (issue #18 §4).
 * A page that does not hold the lease keeps its view to itself: a tab click never takes
 * control, and an observer never changes what the operator's next page opens with.
 */
import { useEffect } from 'react';
import type { ViewSettings } from '../../electron/api/contract';
import type { HostClient } from '../state/host-client';
import type { UiState } from '../state/store';

/** The settings to send, or null when nothing differs from what the host has or no lease. */
export function viewToSend(s: UiState): ViewSettings | null {
  const state = s.mirror?.state;
  if (!state?.view || !s.clientId || state.control.holder?.clientId !== s.clientId) return null;
  const mine: ViewSettings = { tab: s.tab, jogStepUm: s.jogStepUm, jogStepZUm: s.jogStepZUm };
  const kept = state.view;
  return mine.tab === kept.tab &&
    mine.jogStepUm === kept.jogStepUm &&
    mine.jogStepZUm === kept.jogStepZUm
    ? null
    : mine;
}

export function useViewSync(host: HostClient): void {
  useEffect(() => {
    let inFlight = false;
    const check = () => {
      if (inFlight) return;
      const view = viewToSend(host.store.getState());
      if (!view) return;
      inFlight = true;
      void host.run('view.set', view).finally(() => {
        inFlight = false;
        check();
      });
    };
    check();
    return host.store.subscribe(check);
  }, [host]);
}
