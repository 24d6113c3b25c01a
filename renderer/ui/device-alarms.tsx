/**
 * Device alarms from the host state (DeviceAlarm in the API contract), above the workspace
 * on every client. Persistent: an alarm stays until the host clears its condition; there is
 * no dismiss. A laser not confirmed off or unreachable is red; an untrusted stage position
 * is amber and offers the confirmation the host waits for. A lost safety supervisor (the
 * host runs unsupervised) is red too.
 */
import type { DeviceAlarm, DeviceStatus } from '../../electron/api/contract';
import { useHost, useUi } from './host-context';
import '../styles/alarms.css';

const EMPTY: DeviceStatus[] = [];

function severity(device: DeviceStatus, alarm: DeviceAlarm): 'danger' | 'warn' {
  if (alarm.code === 'E_OFF_UNCONFIRMED') return 'danger';
  if (alarm.code === 'E_UNREACHABLE' && device.kind === 'laser') return 'danger';
  return 'warn';
}

export function DeviceAlarms() {
  const host = useHost();
  const devices = useUi((s) => s.mirror?.state.devices ?? null);
  const list = devices ? Object.values(devices) : EMPTY;
  const supervisor = useUi((s) => s.mirror?.state.safety.supervisor ?? null);
  const alarms = list.flatMap((d) => d.alarms.map((a) => ({ device: d, alarm: a })));
  const lost = supervisor?.state === 'lost';
  if (alarms.length === 0 && !lost) return null;
  return (
    <div className="device-alarms" role="alert" data-testid="device-alarms">
      {lost && (
        <div className="device-alarm alarm-danger" data-testid="alarm-supervisor-lost">
          <span className="alarm-code">SUPERVISOR LOST</span> The host runs unsupervised: if it
          dies, nothing switches the lasers off.{supervisor.message && ` ${supervisor.message}`}
        </div>
      )}
      {alarms.map(({ device, alarm }) => (
        <div
          key={`${device.id}-${alarm.code}`}
          className={`device-alarm alarm-${severity(device, alarm)}`}
          data-testid={`alarm-${device.id}-${alarm.code}`}
        >
          <span className="alarm-code">{alarm.code}</span> {alarm.message}
          {alarm.code === 'E_POSITION_UNTRUSTED' && device.kind !== 'laser' && (
            <button
              type="button"
              className="small"
              data-testid={`alarm-${device.id}-confirm`}
              onClick={() =>
                void host.run(
                  device.kind === 'z-drive' ? 'focus.confirmPosition' : 'stage.confirmPosition',
                  {},
                )
              }
            >
              position checked — confirm
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
