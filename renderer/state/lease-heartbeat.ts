/**
 * While this page holds a control lease that can expire (a remote page; the window's never
 * does), it sends `control.heartbeat` every HEARTBEAT_EVERY_MS. The host also pings, but on a
 * slow link its pings queue behind frame data; client→host messages do not, so the lease
 * stays alive while the page is. Failures are ignored: a lost lease shows in the state.
 */
import type { HostConnection } from '../transport/host-connection';
import type { AppStore } from './store';

export const HEARTBEAT_EVERY_MS = 500;

export function startLeaseHeartbeat(
  store: AppStore,
  connection: Pick<HostConnection, 'call'>,
  everyMs = HEARTBEAT_EVERY_MS,
): () => void {
  const timer = setInterval(() => {
    const s = store.getState();
    const holder = s.mirror?.state.control.holder;
    if (s.link.state !== 'connected' || !holder || holder.clientId !== s.clientId) return;
    if (holder.expiresAtMs === null) return;
    connection.call('control.heartbeat', {}).catch(() => undefined);
  }, everyMs);
  return () => clearInterval(timer);
}
