/**
 * Running macros with an Abort button each. Shown outside the control gate: `macro.abort` is
 * a safety command (it stops motion and switches light off), open to every signed-in user.
 */
import { useState } from 'react';
import type { ApiError } from '../../../electron/api/contract';
import { callOutcome } from '../automation/call-outcome';
import { useHost, useUi } from '../host-context';

export function RunningMacros() {
  const host = useHost();
  // Select the mirror's array (stable between patches) and filter here: a selector that
  // builds a new array on every call re-renders forever.
  const macros = useUi((s) => s.mirror?.state.macros);
  const running = macros?.filter((m) => m.phase === 'running');
  const [error, setError] = useState<ApiError | null>(null);
  if (!running?.length) return null;
  const abort = async (id: string) => {
    const r = await callOutcome(host, 'macro.abort', { id });
    setError(r.ok ? null : r.error);
  };
  return (
    <section className="panel macros-running" data-testid="macros-running">
      <h2>Running macros</h2>
      {running.map((m) => (
        <div className="row" key={m.id} data-testid={`macro-running-${m.id}`}>
          <span>
            {m.name}
            {m.dryRun ? ' (dry run)' : ''} — {m.user}
            {m.progress ? `, ${Math.round(m.progress.fraction * 100)} %` : ''}
          </span>
          <button
            type="button"
            className="danger"
            data-testid={`macro-abort-${m.id}`}
            onClick={() => void abort(m.id)}
          >
            Abort
          </button>
        </div>
      ))}
      {error && <p className="error">{`${error.code}: ${error.message}`}</p>}
    </section>
  );
}
