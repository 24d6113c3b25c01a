/**
 * The audit trail (audit.query): who did what and when, newest first, filtered by user and
 * command ("prefix.*" allowed). Read-only, so it stays usable for observers.
 */
import { useState } from 'react';
import type { AuditEntry } from '../../electron/api/contract';
import { useHost } from './host-context';

const SHOWN = 50;

export function AuditTable({ entries }: { entries: readonly AuditEntry[] }) {
  if (entries.length === 0) return <p className="empty">No matching entries.</p>;
  return (
    <table className="audit" data-testid="audit-table">
      <tbody>
        {[...entries].reverse().map((e) => (
          <tr key={e.seq} data-testid={`audit-${e.seq}`} title={JSON.stringify(e.args)}>
            <td className="sub">{new Date(e.timeMs).toLocaleTimeString()}</td>
            <td>{e.user}</td>
            <td>{e.command}</td>
            <td className={e.ok ? 'ok' : 'bad'}>{e.ok ? 'ok' : (e.code ?? 'failed')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AuditPanel() {
  const host = useHost();
  const [user, setUser] = useState('');
  const [command, setCommand] = useState('');
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const load = async () => {
    const r = await host.run('audit.query', {
      limit: SHOWN,
      ...(user.trim() ? { user: user.trim() } : {}),
      ...(command.trim() ? { command: command.trim() } : {}),
    });
    if (r) setEntries(r.entries);
  };
  return (
    <section className="panel" data-testid="audit-panel">
      <h2>Audit trail</h2>
      <div className="row">
        <input
          placeholder="user"
          value={user}
          data-testid="audit-user"
          onChange={(e) => setUser(e.target.value)}
        />
        <input
          placeholder="command or prefix.*"
          value={command}
          data-testid="audit-command"
          onChange={(e) => setCommand(e.target.value)}
        />
        <button type="button" data-testid="audit-load" onClick={() => void load()}>
          Show
        </button>
      </div>
      {entries && <AuditTable entries={entries} />}
    </section>
  );
}
