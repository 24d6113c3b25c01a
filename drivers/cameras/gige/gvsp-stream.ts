/**
 * The GVSP stream received on a thread of its own (gvsp-receive.worker.ts): the socket is
 * drained and frames reassembled while the main thread is busy, so a busy host does not
 * overflow the socket buffer. Complete frames come back as transferred buffers (no copy);
 * incomplete ones only as a report. PACKETRESEND requests go to the camera straight from the
 * stream thread. Each start() opens a new generation: frames of an earlier one still in the
 * message queue are dropped.
 */
import type { Worker } from 'node:worker_threads';
import { DisconnectedError } from '../../errors';
import { spawnWorker } from '../../workers';
import type { IncompleteFrame, StreamFrame } from './gvsp';

export interface StreamStart {
  payloadPerPacket: number;
  payloadSize: number;
  frameTimeoutMs: number;
  /** The camera answers PACKETRESEND. */
  canResend: boolean;
  onFrame: (frame: StreamFrame) => void;
  onIncomplete: (frame: IncompleteFrame) => void;
  /** Every STATS_MS while started. */
  onStats?: (stats: StreamStats) => void;
}

/** How the stream thread kept up, over the last STATS_MS. */
export interface StreamStats {
  /** Bytes taken in per second of the thread's busy time; 0: too little traffic to tell. */
  drainBytesPerS: number;
  /** Within the last frame, bytes per second from its first to its last packet. */
  burstBytesPerS: number;
  /** Packets the kernel dropped on this socket since it opened (Linux); undefined elsewhere. */
  socketDrops?: number;
}

export const STATS_MS = 500;

export type ToStreamWorker =
  | ({ type: 'start'; gen: number } & Omit<StreamStart, 'onFrame' | 'onIncomplete'>)
  | { type: 'flush'; gen: number }
  | { type: 'stop' }
  | { type: 'close' };

export type FromStreamWorker =
  | { type: 'ready'; port: number; bufferBytes: number }
  | { type: 'failed'; message: string }
  | ({ type: 'frame'; gen: number; data: ArrayBuffer } & Omit<StreamFrame, 'data'>)
  | ({ type: 'incomplete'; gen: number } & IncompleteFrame)
  | ({ type: 'stats'; gen: number } & StreamStats)
  | { type: 'flushed'; gen: number }
  | { type: 'closed' };

export interface StreamWorkerData {
  host: string;
  bufferBytes?: number;
  camera: { address: string; port: number };
}

export class GvspStream {
  private gen = 0;
  private current: StreamStart | null = null;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly port: number,
    /** The receive buffer the OS granted the stream socket. */
    readonly bufferBytes: number,
  ) {
    worker.on('message', (m: FromStreamWorker) => this.message(m));
  }

  /** Starts the stream thread, which binds a UDP port on `host`. */
  static async open(data: StreamWorkerData): Promise<GvspStream> {
    const worker = spawnWorker(new URL('./gvsp-receive.worker.ts', import.meta.url), data);
    // a thread that dies stops delivering: the frame timeout of snap / the heartbeat reports it
    worker.on('error', () => undefined);
    let onExit: (code: number) => void = () => undefined;
    try {
      const ready = await new Promise<{ port: number; bufferBytes: number }>((resolve, reject) => {
        onExit = (code) =>
          reject(new DisconnectedError(`GVSP stream thread exited (${code}) before binding`));
        const failed = (message: string) =>
          reject(new DisconnectedError(`GVSP stream socket on ${data.host}: ${message}`));
        worker.once('exit', onExit);
        // The thread posts 'failed' and then throws; the two reach this thread in either order.
        worker.once('error', (err) => failed(err.message));
        worker.once('message', (m: FromStreamWorker) => {
          if (m.type === 'ready') resolve(m);
          else if (m.type === 'failed') failed(m.message);
        });
      });
      worker.off('exit', onExit);
      return new GvspStream(worker, ready.port, ready.bufferBytes);
    } catch (err) {
      await worker.terminate();
      throw err;
    }
  }

  /** Starts accepting frames with this geometry; frames in flight are dropped. */
  start(setup: StreamStart): void {
    const { onFrame: _f, onIncomplete: _i, onStats: _s, ...geometry } = setup;
    this.current = setup;
    this.worker.postMessage({
      type: 'start',
      gen: ++this.gen,
      ...geometry,
    } satisfies ToStreamWorker);
  }

  /**
   * Reports the frames in flight as incomplete (reason 'stopped') and resolves once every
   * frame the stream thread finished before that has been delivered here.
   */
  flush(): Promise<void> {
    const gen = this.gen;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, 1_000);
      const worker = this.worker;
      function done() {
        clearTimeout(timer);
        worker.off('message', onMessage);
        resolve();
      }
      function onMessage(m: FromStreamWorker) {
        if (m.type === 'flushed' && m.gen === gen) done();
      }
      worker.on('message', onMessage);
      worker.postMessage({ type: 'flush', gen } satisfies ToStreamWorker);
    });
  }

  /** Stops accepting frames; frames in flight are dropped without being reported. */
  stop(): void {
    this.current = null;
    this.gen++;
    this.worker.postMessage({ type: 'stop' } satisfies ToStreamWorker);
  }

  close(): Promise<void> {
    this.current = null;
    this.closing ??= new Promise<void>((resolve) => {
      const done = () => void this.worker.terminate().then(() => resolve());
      const timer = setTimeout(done, 1_000);
      this.worker.on('message', (m: FromStreamWorker) => {
        if (m.type !== 'closed') return;
        clearTimeout(timer);
        done();
      });
      this.worker.postMessage({ type: 'close' } satisfies ToStreamWorker);
    });
    return this.closing;
  }

  private message(m: FromStreamWorker): void {
    const s = this.current;
    if (!s || !('gen' in m) || m.gen !== this.gen) return;
    if (m.type === 'frame') {
      const { type: _t, gen: _g, data, ...leader } = m;
      s.onFrame({ ...leader, data: Buffer.from(data) });
    } else if (m.type === 'incomplete') {
      const { type: _t, gen: _g, ...report } = m;
      s.onIncomplete(report);
    } else if (m.type === 'stats') {
      const { type: _t, gen: _g, ...stats } = m;
      s.onStats?.(stats);
    }
  }
}
