import type { ConnectionState, DeviceEvent, Unsubscribe } from './devices';

/** Listener list plus connection state, composed into every device implementation. */
export class DeviceEvents {
  private readonly listeners = new Set<(event: DeviceEvent) => void>();
  state: ConnectionState = 'disconnected';

  subscribe(listener: (event: DeviceEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: DeviceEvent): void {
    if (event.type === 'connection') this.state = event.state;
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // a listener's failure must not break the device
      }
    }
  }

  setConnection(state: ConnectionState, error?: Error): void {
    if (state === this.state && !error) return;
    this.emit(error ? { type: 'connection', state, error } : { type: 'connection', state });
  }
}
