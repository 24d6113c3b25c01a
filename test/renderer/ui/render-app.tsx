/**
 * Renders the whole App to markup in Node (react-dom/server, no DOM) for a given host
 * state, as the operator would see it; effects (the live view's render loop) do not run.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import type { AppState } from '../../../electron/api/contract';
import { HostClient } from '../../../renderer/state/host-client';
import { mirrorFromHello } from '../../../renderer/state/mirror';
import { createAppStore, type UiState } from '../../../renderer/state/store';
import type { HostConnection } from '../../../renderer/transport/host-connection';
import { App } from '../../../renderer/ui/app';
import { HostContext } from '../../../renderer/ui/host-context';

const idleConnection: HostConnection = {
  transport: 'websocket',
  start: () => undefined,
  call: () => Promise.reject(new Error('not used')),
  setFramesEnabled: () => undefined,
  ackFrame: () => undefined,
  resync: () => undefined,
  close: () => undefined,
};

export function render(state: AppState | null, extra: Partial<UiState> = {}): string {
  const store = createAppStore({
    mirror: state ? mirrorFromHello(state, 1) : null,
    link: { state: 'connected', detail: null, transport: 'websocket' },
    ...extra,
  });
  const client = new HostClient(idleConnection, store);
  return renderToStaticMarkup(
    <HostContext.Provider value={client}>
      <App />
    </HostContext.Provider>,
  );
}

/** Text content of the element carrying data-testid=id (first match, tags stripped). */
export function textOf(html: string, id: string): string | null {
  const m = new RegExp(`data-testid="${id}"[^>]*>(.*?)</`, 's').exec(html);
  return m ? m[1]!.replace(/<[^>]+>/g, '') : null;
}
