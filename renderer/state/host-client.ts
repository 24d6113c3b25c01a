/**
 * Wires a HostConnection to the UI store: mirrors state (hello + patches with rev
 * checks), records events, decodes frames for the live view and runs commands, showing
 * every failure to the user.
 */
import type {
  CommandName,
  CommandParams,
  CommandResult,
  ViewSettings,
} from '../../electron/api/contract';
import type { DisplayWindow, ViewCodec, ViewRequest } from '../../electron/api/frame-view';
import type { HostMessage } from '../../electron/api/messages';
import { decodeFrame, VIEW_MAGIC, type DecodedFrame } from '../frames/decode-frame';
import { decodeViewFrame } from '../frames/decode-view-frame';
import { toApiError } from '../transport/call-error';
import type { HostConnection } from '../transport/host-connection';
import { applyPatchMessage, mirrorFromHello, type Mirror } from './mirror';
import type { AppStore } from './store';

const MAX_PIXEL_READS = 8;

export type FrameSink = (frame: DecodedFrame) => void;

const ESTOP = 'E_ESTOP';

/** What a command's notice is about: the command and its target (a laser, channel, …). */
export function noticeKey(name: string, args: unknown): string {
  const a = (args ?? {}) as Record<string, unknown>;
  const target = a.laserId ?? a.name ?? a.clientId ?? a.id;
  return typeof target === 'string' ? `${name}:${target}` : name;
}

export class HostClient {
  private readonly frameSinks = new Set<FrameSink>();
  private decodeErrors = 0;
  private viewAdopted = false;
  private nextPixelId = 1;
  private readonly pixelReads = new Map<
    number,
    (r: { seq: number; value: number | null }) => void
  >();

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

  /**
   * Runs a command; a failure becomes a visible notice (one per command and target, replaced
   * by the next failure) and resolves to undefined. A later success of the same command on
   * the same target clears it; e-stop refusals share one notice, cleared by the reset.
   */
  async run<N extends CommandName>(
    name: N,
    args: CommandParams<N>,
  ): Promise<CommandResult<N> | undefined> {
    const key = noticeKey(name, args);
    try {
      const value = await this.connection.call(name, args);
      this.store.getState().clearNotices(key);
      return value;
    } catch (err) {
      const error = toApiError(err);
      this.store.getState().pushError(name, error, error.code === ESTOP ? ESTOP : key);
      return undefined;
    }
  }

  get transport(): HostConnection['transport'] {
    return this.connection.transport;
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
        this.setMirror(mirrorFromHello(message.state, message.rev));
        if (message.events) s.setEventLog(message.events);
        this.adoptView(message.state.view);
        return;
      case 'patch': {
        const outcome = applyPatchMessage(s.mirror, message.rev, message.patches);
        if (outcome.kind === 'applied') this.setMirror(outcome.mirror);
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
        else if (message.event.type === 'log' && message.event.level === 'error')
          s.pushNotice('error', message.event.message);
        return;
      case 'result':
        return;
      case 'pixel': {
        const done = this.pixelReads.get(message.id);
        this.pixelReads.delete(message.id);
        done?.({ seq: message.seq, value: message.value });
        return;
      }
    }
  }

  /**
   * The host's view settings, taken once per page (its first hello): a reconnect later never
   * switches the tab under the operator.
   */
  private adoptView(view: ViewSettings | undefined): void {
    if (this.viewAdopted || !view) return;
    this.viewAdopted = true;
    const s = this.store.getState();
    s.setTab(view.tab);
    s.setJogStepUm(view.jogStepUm);
    s.setJogStepZUm(view.jogStepZUm);
  }

  /** The latch's notice goes with the latch. */
  private setMirror(mirror: Mirror): void {
    const s = this.store.getState();
    const wasLatched = s.mirror?.state.safety.estopLatched ?? false;
    s.setMirror(mirror);
    if (wasLatched && !mirror.state.safety.estopLatched) s.clearNotices(ESTOP);
  }

  /**
   * What this page's live view shows (canvas device px and visible image region) and how it
   * wants the pixels: the host then sends frames reduced to it (electron/api/frame-view.ts).
   */
  setView(
    view: ViewRequest | null,
    codec: ViewCodec = 'raw',
    options: { window?: DisplayWindow; chunks?: boolean } = {},
  ): void {
    this.connection.setView?.({
      type: 'view',
      view,
      codec,
      chunks: options.chunks ?? false,
      ...(options.window && { window: options.window }),
    });
  }

  /**
   * The exact camera value at image pixel (x, y) of the last frame the host sent this page
   * (the live view asks when it shows a reduced view); null outside the image.
   */
  readPixel(x: number, y: number): Promise<{ seq: number; value: number | null }> {
    const id = this.nextPixelId++;
    const read = this.connection.readPixel?.bind(this.connection);
    if (!read) return Promise.resolve({ seq: -1, value: null });
    return new Promise((resolve) => {
      this.pixelReads.set(id, resolve);
      // Only the newest few matter (the cursor moved on): older ones resolve empty.
      for (const [old, done] of this.pixelReads) {
        if (this.pixelReads.size <= MAX_PIXEL_READS) break;
        this.pixelReads.delete(old);
        done({ seq: -1, value: null });
      }
      read(id, x, y);
    });
  }

  private onFrame(buf: ArrayBuffer): void {
    if (isViewFrame(buf)) {
      decodeViewFrame(buf).then(
        (frame) => this.deliver(frame),
        (err: unknown) => this.frameFailed(err),
      );
      return;
    }
    let frame: DecodedFrame;
    try {
      frame = decodeFrame(buf);
    } catch (err) {
      return this.frameFailed(err);
    }
    this.deliver(frame);
  }

  private deliver(frame: DecodedFrame): void {
    for (const sink of this.frameSinks) sink(frame);
  }

  private frameFailed(err: unknown): void {
    // Report the first few; a broken stream should not flood the notices.
    if (this.decodeErrors++ < 3) this.store.getState().pushError('display', toApiError(err));
    // The undecodable frame can never be acked (its seq is unknown) and the host sends
    // the next only after an ack: re-requesting frames clears the host's in-flight slot.
    if (this.frameSinks.size > 0) {
      this.connection.setFramesEnabled(false);
      this.connection.setFramesEnabled(true);
    }
  }
}

function isViewFrame(buf: ArrayBuffer): boolean {
  if (buf.byteLength < 4) return false;
  const b = new Uint8Array(buf, 0, 4);
  return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!) === VIEW_MAGIC;
}
