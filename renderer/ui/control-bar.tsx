/**
 * Who is in control and who watches (state.control), with request / release / take / hand
 * over. `useCanControl` is the UI hint that disables controls; the host's lease is the check.
 */
import type { AppState } from '../../electron/api/contract';
import { useHost, useUi } from './host-context';

/**
 * Whether this page may send mutating commands now: it holds the lease, or nobody does and
 * it is an operator (its first command takes the lease). Before the first state: no.
 */
export function canControl(state: AppState | null, clientId: string | null): boolean {
  if (!state || !clientId) return false;
  const { holder, clients } = state.control;
  if (holder) return holder.clientId === clientId;
  return clients.find((c) => c.clientId === clientId)?.role === 'operator';
}

export function useCanControl(): boolean {
  return useUi((s) => canControl(s.mirror?.state ?? null, s.clientId));
}

export function ControlBar() {
  const host = useHost();
  const control = useUi((s) => s.mirror?.state.control ?? null);
  const me = useUi((s) => s.clientId);
  if (!control) return null;
  const mine = control.holder?.clientId === me;
  const myRole = control.clients.find((c) => c.clientId === me)?.role ?? 'observer';
  const watchers = control.clients.filter((c) => c.clientId !== control.holder?.clientId);
  const asked = control.requests.some((r) => r.clientId === me);
  return (
    <section className="panel control-bar" data-testid="control-bar">
      <h2>
        Control <span className="sub">you: {myRole}</span>
      </h2>
      <div data-testid="control-holder">
        {control.holder
          ? `${mine ? 'You are' : `${control.holder.user} (${control.holder.clientId}) is`} in control`
          : 'Nobody is in control'}
      </div>
      <div className="sub" data-testid="control-watchers">
        Watching: {watchers.length ? watchers.map((c) => c.user).join(', ') : 'nobody'}
      </div>
      {myRole === 'operator' && (
        <div className="row">
          {mine ? (
            <button
              type="button"
              data-testid="control-release"
              onClick={() => void host.run('control.release', {})}
            >
              Release
            </button>
          ) : (
            <button
              type="button"
              data-testid="control-request"
              disabled={asked}
              onClick={() => void host.run('control.request', {})}
            >
              {asked ? 'Requested…' : 'Request control'}
            </button>
          )}
          {!mine && (
            <button
              type="button"
              data-testid="control-take"
              onClick={() => void host.run('control.take', {})}
            >
              Take
            </button>
          )}
        </div>
      )}
      {mine &&
        control.requests.map((r) => (
          <div className="row" key={r.clientId} data-testid={`control-request-${r.clientId}`}>
            {r.user} asks for control
            <button
              type="button"
              onClick={() => void host.run('control.handOver', { clientId: r.clientId })}
            >
              Hand over
            </button>
          </div>
        ))}
    </section>
  );
}
