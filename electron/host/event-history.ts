/**
 * What the host tells every client beyond state (issue #18 §4, §6): the last events, for a
 * page that (re)connects, and refusals turned into events for every client's event list.
 */
import type { SerializedError } from '../../drivers/errors';
import { commandAccess, isCommandName, type HostEvent } from '../api/contract';
import { redactCredentials } from './logger';

/** As many as the page's event log keeps (renderer EVENT_LOG_LIMIT). */
export const RECENT_EVENTS = 100;

export class EventHistory {
  private readonly events: HostEvent[] = [];

  push(event: HostEvent): void {
    this.events.push(event);
    if (this.events.length > RECENT_EVENTS)
      this.events.splice(0, this.events.length - RECENT_EVENTS);
  }

  /** Oldest first. */
  recent(): HostEvent[] {
    return [...this.events];
  }
}

/**
 * The event for a refused call, or null when it is not news: a fault (E_INTERNAL, logged
 * anyway), a query (plan.estimate, audit.query…) or a lease heartbeat.
 */
export function refusalEvent(
  command: string,
  user: string,
  error: SerializedError,
): HostEvent | null {
  if (error.code === 'E_INTERNAL' || !isCommandName(command)) return null;
  if (command === 'control.heartbeat' || commandAccess[command] === 'read') return null;
  return {
    type: 'refused',
    command,
    user,
    error: { ...error, message: redactCredentials(error.message) },
    timeMs: Date.now(),
  };
}
