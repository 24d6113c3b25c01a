/** Every configured device: identity, connection state, last error, reconnect. */
import { useHost, useUi } from './host-context';

export function DevicesPanel() {
  const host = useHost();
  const devices = useUi((s) => s.mirror?.state.devices ?? null);
  const list = devices ? Object.values(devices) : [];
  return (
    <section className="panel" data-testid="devices-panel">
      <h2>Devices</h2>
      {list.length === 0 && <p className="empty">No device information yet.</p>}
      <table className="devices">
        <tbody>
          {list.map((d) => (
            <tr key={d.id} data-testid={`device-${d.id}`}>
              <td className="dev-id">
                {d.id}
                <div className="sub">
                  {d.kind} · {d.driver}
                </div>
              </td>
              <td className="dev-ident" data-testid={`device-${d.id}-identity`}>
                {d.identity ? `${d.identity.vendor} ${d.identity.model}` : '—'}
                {d.identity && (
                  <div className="sub">
                    s/n {d.identity.serial} · fw {d.identity.firmware}
                  </div>
                )}
              </td>
              <td>
                <span
                  className={`conn conn-${d.connection}`}
                  data-testid={`device-${d.id}-connection`}
                >
                  {d.connection}
                </span>
                {d.lastError && (
                  <div
                    className="dev-error"
                    data-testid={`device-${d.id}-error`}
                    title={d.lastError.name}
                  >
                    {d.lastError.code}: {d.lastError.message}
                  </div>
                )}
              </td>
              <td>
                <button
                  type="button"
                  className="small"
                  data-testid={`device-${d.id}-reconnect`}
                  onClick={() => void host.run('device.reconnect', { deviceId: d.id })}
                >
                  reconnect
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
