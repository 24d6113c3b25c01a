/**
 * One interface over the two transports of the API (WebSocket for browsers, the preload
 * bridge + frame MessagePort for the Electron window). Both deliver the same HostMessage
 * stream (hello first, then patch/event), the same encoded frames, and calls that resolve
 * with the command's result or reject with a HostCallError carrying `{name, code, message}`.
 */
import type { CommandName, CommandParams, CommandResult } from '../../electron/api/contract';
import type { HostMessage, ViewMessage } from '../../electron/api/messages';

export type LinkState = 'connecting' | 'connected' | 'disconnected' | 'unauthorised';

export interface LinkStatus {
  state: LinkState;
  /** Human-readable reason for the state (close reason, next retry), or null. */
  detail: string | null;
  transport: 'websocket' | 'electron';
}

export interface ConnectionListener {
  status(status: LinkStatus): void;
  hostMessage(message: HostMessage): void;
  /** One encoded frame (format of electron/api/messages.ts). */
  frame(buf: ArrayBuffer): void;
}

export interface HostConnection {
  readonly transport: LinkStatus['transport'];
  start(listener: ConnectionListener): void;
  call<N extends CommandName>(name: N, args: CommandParams<N>): Promise<CommandResult<N>>;
  /** Remembered across reconnects: re-sent whenever the link comes back. */
  setFramesEnabled(enabled: boolean): void;
  ackFrame(seq: number): void;
  /** The view frames are reduced to (electron/api/frame-view.ts); remembered across reconnects. */
  setView?(message: ViewMessage): void;
  /** Asks for the exact camera value at image pixel (x, y); answered by a `pixel` message. */
  readPixel?(id: number, x: number, y: number): void;
  /** Drop the current state stream and get a fresh `hello` snapshot. */
  resync(reason: string): void;
  close(): void;
}
