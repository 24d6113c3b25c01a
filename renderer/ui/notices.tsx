/**
 * Toasts and the host event log. Errors stay until dismissed or fixed (see HostClient.run);
 * warnings and info fade after a while (they remain in the event log). A repeated notice is
 * counted, not stacked.
 */
import { useEffect } from 'react';
import type { HostEvent } from '../../electron/api/contract';
import { describeError } from '../state/error-text';
import { useUi } from './host-context';

const LIFETIME_MS = { info: 6000, warn: 20_000 } as const;

export function Notices() {
  const notices = useUi((s) => s.notices);
  const dismiss = useUi((s) => s.dismissNotice);
  useEffect(() => {
    const timers = notices.map((n) =>
      n.level === 'error'
        ? undefined
        : setTimeout(
            () => dismiss(n.id),
            Math.max(0, n.timeMs + LIFETIME_MS[n.level] - Date.now()),
          ),
    );
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
          <span className="notice-text">
            {n.text}
            {n.count > 1 && (
              <span className="notice-count" data-testid="toast-count">
                {' '}
                ×{n.count}
              </span>
            )}
            {n.detail && (
              <span className="notice-detail" data-testid="toast-detail">
                {n.detail}
              </span>
            )}
          </span>
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
              className={eventClass(e)}
              data-testid="event"
              data-type={e.type}
            >
              <time>{new Date(e.timeMs).toLocaleTimeString()}</time> {eventText(e)}
            </li>
          ))}
      </ol>
    </section>
  );
}

function eventClass(e: HostEvent): string {
  if (e.type === 'log') return `ev-${e.level}`;
  return e.type === 'safety' ? 'ev-safety' : 'ev-refused';
}

/** A refusal reads as the toast does: who, what, and why in plain words. */
export function eventText(e: HostEvent): string {
  if (e.type !== 'refused') return e.message;
  return `Refused ${e.command} (${e.user}): ${describeError(e.error).text} [${e.error.code}]`;
}
