/**
 * Entry: pick the transport (the Electron bridge when the preload exposed `window.aquila`,
 * otherwise the WebSocket on this page's origin), start mirroring, render the UI.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { AquilaBridge } from '../electron/api/bridge';
import { HostClient } from './state/host-client';
import { startLeaseHeartbeat } from './state/lease-heartbeat';
import { createAppStore } from './state/store';
import { ElectronConnection } from './transport/electron-connection';
import type { HostConnection } from './transport/host-connection';
import { defaultWsUrl, WsConnection } from './transport/ws-connection';
import { App } from './ui/app';
import { HostContext } from './ui/host-context';
import './styles/base.css';
import './styles/live.css';
import './styles/panels.css';
import './styles/devices.css';

declare global {
  interface Window {
    aquila?: AquilaBridge;
  }
}

function pickConnection(): HostConnection {
  if (window.aquila) return new ElectronConnection(window.aquila, window);
  const url = defaultWsUrl(window.location);
  return new WsConnection({
    url,
    createSocket: (u) => new WebSocket(u),
    probeUnauthorised: async () => {
      const res = await fetch('/api/ws', { credentials: 'same-origin', cache: 'no-store' });
      return res.status === 401;
    },
  });
}

const store = createAppStore();
const client = new HostClient(pickConnection(), store);
store
  .getState()
  .setLink({ state: 'connecting', detail: null, transport: client.connection.transport });
client.start();
startLeaseHeartbeat(store, client.connection);

window.addEventListener('unhandledrejection', (ev) => {
  store
    .getState()
    .pushNotice('error', `Unexpected error: ${String((ev.reason as Error)?.message ?? ev.reason)}`);
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <HostContext.Provider value={client}>
      <App />
    </HostContext.Provider>
  </StrictMode>,
);
