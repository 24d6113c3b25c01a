/**
 * Persistent per-device alarms in AppState (`DeviceStatus.alarms`, contract DeviceAlarm):
 * raised while a condition holds and cleared when it ends, never dismissed by a client.
 * One alarm per code and device; raising it again updates its message, not its time.
 */
import type { DeviceAlarm } from '../api/contract';
import type { StateStore } from './state-store';

export class DeviceAlarmBoard {
  constructor(private readonly store: StateStore) {}

  raise(id: string, code: DeviceAlarm['code'], message: string): void {
    this.store.update((s) => {
      const d = s.devices[id];
      if (!d) return;
      const existing = d.alarms.find((a) => a.code === code);
      if (existing) existing.message = message;
      else d.alarms.push({ code, message, sinceMs: Date.now() });
    });
  }

  clear(id: string, code: DeviceAlarm['code']): void {
    this.store.update((s) => {
      const d = s.devices[id];
      if (d?.alarms.some((a) => a.code === code))
        d.alarms = d.alarms.filter((a) => a.code !== code);
    });
  }
}
