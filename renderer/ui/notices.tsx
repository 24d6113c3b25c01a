/** Error/warning toasts (dismissable, errors stay until dismissed) and the host event log. */
import { useEffect } from 'react';
import { useUi } from './host-context';

const INFO_LIFETIME_MS = 6000;

export function Notices() {
  const notices = useUi((s) => s.notices);
  const dismiss = useUi((s) => s.dismissNotice);
  useEffect(() => {
    const timers = notices
      .filter((n) => n.level === 'info')
      .map((n) => setTimeout(() => dismiss(n.id), INFO_LIFETIME_MS));
    return () => timers.forEach(clearTimeout);
  }, [notices, dismiss]);
  return (
    <div className="notices" aria-live="assertive">
      {notices.map((n) => (
        <div
          key={n.id}
          className={`notice notice-${n.level}`}
          data-testid="toast"
          data-level={n.level}
          role="alert"
        >
          <span className="notice-text">{n.text}</span>
          <button
            type="button"
            className="close"
            aria-label="dismiss"
            data-testid="toast-dismiss"
            onClick={() => dismiss(n.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

export function EventLog() {
  const events = useUi((s) => s.eventLog);
  return (
    <section className="panel event-log" data-testid="event-log">
      <h2>Events</h2>
      <ol>
        {events
          .slice(-30)
          .reverse()
          .map((e, i) => (
            <li
              key={`${e.timeMs}-${i}`}
              className={e.type === 'safety' ? 'ev-safety' : `ev-${e.level}`}
            >
              <time>{new Date(e.timeMs).toLocaleTimeString()}</time> {e.message}
            </li>
          ))}
      </ol>
    </section>
  );
}
