/** Always-visible top bar: instrument, connection state, E-STOP and the latched banner. */
import { ConfirmButton } from './confirm-button';
import { useHost, useUi } from './host-context';

const LINK_TEXT = {
  connecting: 'connecting',
  connected: 'connected',
  disconnected: 'disconnected',
  unauthorised: 'not authorised',
} as const;

export function HeaderBar() {
  const host = useHost();
  const link = useUi((s) => s.link);
  const instrument = useUi((s) => s.mirror?.state.instrument ?? null);
  const latched = useUi((s) => s.mirror?.state.safety.estopLatched ?? false);
  const reason = useUi((s) => s.mirror?.state.safety.estopReason ?? null);
  return (
    <>
      <header className="header-bar">
        <span className="brand">Aquila</span>
        <span className="instrument" data-testid="instrument-name">
          {instrument ? `${instrument.name} · v${instrument.version}` : '—'}
        </span>
        <span
          className={`link link-${link.state}`}
          data-testid="connection-state"
          data-state={link.state}
          title={link.detail ?? undefined}
        >
          <span className="dot" /> {LINK_TEXT[link.state]} ({link.transport})
          {link.detail && <span className="link-detail"> — {link.detail}</span>}
        </span>
        <span className="spacer" />
        {latched && (
          <ConfirmButton
            className="estop-reset"
            testId="estop-reset"
            question="Is it safe to move and switch light on again?"
            onConfirm={() => void host.run('safety.reset', {})}
          >
            Reset E-stop
          </ConfirmButton>
        )}
        <button
          type="button"
          className="estop"
          data-testid="estop"
          title="Emergency stop: halt motion, all lasers off, latch"
          onClick={() => void host.run('estop', {})}
        >
          E-STOP
        </button>
      </header>
      {link.state === 'unauthorised' && (
        <div className="banner banner-auth" data-testid="auth-banner" role="alert">
          {link.detail}
        </div>
      )}
      {latched && (
        <div className="banner banner-estop" data-testid="estop-banner" role="alert">
          EMERGENCY STOP LATCHED{reason ? ` — ${reason}` : ''}. Motion halted, lasers off. Controls
          are locked until the e-stop is reset.
        </div>
      )}
    </>
  );
}
