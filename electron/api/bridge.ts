/**
 * What the Electron preload exposes on `window.aquila` (contextBridge). Named verbs, one
 * per API command, never a raw channel. Results come back as an outcome envelope so the
 * typed error `{name, code, message}` survives the IPC boundary intact.
 *
 * Frames do not pass through this object: the preload forwards a MessagePort to the page
 * with `window.postMessage({ type: 'aquila:frame-port' }, '*', [port])`. On that port the
 * page receives encoded frames (ArrayBuffer, same format as the WebSocket binary frames)
 * and sends `{type: 'frames', enabled}` and `{type: 'frame.ack', seq}` back.
 */
import type { ApiError, CommandName, CommandParams, CommandResult } from './contract';
import type { HostMessage } from './messages';

export type CallOutcome<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export type CommandVerbs = {
  [N in CommandName]: (args: CommandParams<N>) => Promise<CallOutcome<CommandResult<N>>>;
};

export interface AquilaBridge {
  readonly commands: CommandVerbs;
  /** hello (on subscribe), then patch and event messages. Returns an unsubscribe function. */
  onHostMessage(listener: (message: HostMessage) => void): () => void;
}

export const FRAME_PORT_MESSAGE = 'aquila:frame-port';
