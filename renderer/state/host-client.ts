/**
 * Wires a HostConnection to the UI store: mirrors state (hello + patches with rev
 * checks), records events, decodes frames for the live view and runs commands, showing
 * every failure to the user.
 */
import type { CommandName, CommandParams, CommandResult } from '../../electron/api/contract';
import type { HostMessage } from '../../electron/api/messages';
import { decodeFrame, type DecodedFrame } from '../frames/decode-frame';
import { toApiError } from '../transport/call-error';
import type { HostConnection } from '../transport/host-connection';
import { applyPatchMessage, mirrorFromHello } from './mirror';
import type { AppStore } from './store';

export type FrameSink = (frame: DecodedFrame) => void;

export class HostClient {
  private readonly frameSinks = new Set<FrameSink>();
  private decodeErrors = 0;

  constructor(
    readonly connection: HostConnection,
    readonly store: AppStore,
  ) {}

  start(): void {
    this.connection.start({
      status: (status) => this.store.getState().setLink(status),
      hostMessage: (message) => this.onHostMessage(message),
      frame: (buf) => this.onFrame(buf),
    });
  }

  /** Runs a command; a failure becomes a visible notice and resolves to undefined. */
  async run<N extends CommandName>(
    name: N,
    args: CommandParams<N>,
  ): Promise<CommandResult<N> | undefined> {
    try {
      return await this.connection.call(name, args);
    } catch (err) {
      this.store.getState().pushError(name, toApiError(err));
      return undefined;
    }
  }

  /**
   * The live view (and the navigator's mosaic) register here; frames flow while any sink is
   * attached. Every sink sees every frame; the live view acks them.
   */
  attachFrames(sink: FrameSink): () => void {
    this.frameSinks.add(sink);
    if (this.frameSinks.size === 1) this.connection.setFramesEnabled(true);
    return () => {
      if (!this.frameSinks.delete(sink)) return;
      if (this.frameSinks.size === 0) this.connection.setFramesEnabled(false);
    };
  }

  ackFrame(seq: number): void {
    this.connection.ackFrame(seq);
  }

  private onHostMessage(message: HostMessage): void {
    const s = this.store.getState();
    switch (message.type) {
      case 'hello':
        s.setClientId(message.clientId);
        s.setMirror(mirrorFromHello(message.state, message.rev));
        return;
      case 'patch': {
        const outcome = applyPatchMessage(s.mirror, message.rev, message.patches);
        if (outcome.kind === 'applied') s.setMirror(outcome.mirror);
        else if (outcome.kind === 'gap') {
          this.connection.resync(`rev gap: expected ${outcome.expectedRev}, got ${outcome.gotRev}`);
        } else if (outcome.kind === 'invalid') {
          s.pushNotice('warn', `State update could not be applied (${outcome.message}); resyncing`);
          this.connection.resync('invalid patch');
        }
        return;
      }
      case 'event':
        s.pushEvent(message.event);
        if (message.event.type === 'safety') s.pushNotice('warn', message.event.message);
        else if (message.event.level === 'error') s.pushNotice('error', message.event.message);
        return;
      case 'result':
        return;
    }
  }

  private onFrame(buf: ArrayBuffer): void {
    let frame: DecodedFrame;
    try {
      frame = decodeFrame(buf);
    } catch (err) {
      // Report the first few; a broken stream should not flood the notices.
      if (this.decodeErrors++ < 3) this.store.getState().pushError('display', toApiError(err));
      // The undecodable frame can never be acked (its seq is unknown) and the host sends
      // the next only after an ack: re-requesting frames clears the host's in-flight slot.
      if (this.frameSinks.size > 0) {
        this.connection.setFramesEnabled(false);
        this.connection.setFramesEnabled(true);
      }
      return;
    }
    for (const sink of this.frameSinks) sink(frame);
  }
}
