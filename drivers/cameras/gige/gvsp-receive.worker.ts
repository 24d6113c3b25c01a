/**
 * GVSP stream thread (GvspStream): owns the stream socket, reassembles frames with
 * GvspReceiver and sends PACKETRESEND to the camera's GVCP port from the same socket.
 * Each frame is received into a buffer of its own, which is transferred to the main thread.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { Cmd, encodeCommand } from './gvcp';
import { GvspReceiver } from './gvsp';
import {
  STATS_MS,
  type FromStreamWorker,
  type StreamWorkerData,
  type ToStreamWorker,
} from './gvsp-stream';
import { socketDrops } from './packet-delay';

const port = parentPort;
if (!port) throw new Error('gvsp-receive.worker.ts must run in a worker thread');
const { host, bufferBytes, camera } = workerData as StreamWorkerData;
const post = (m: FromStreamWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

let rx: GvspReceiver;
try {
  rx = await GvspReceiver.open(host, bufferBytes);
} catch (err) {
  post({ type: 'failed', message: (err as Error).message });
  throw err;
}

/**
 * The next frame's buffer, allocated and its pages touched between frames: a fresh
 * zero-filled buffer faults its pages in while the packets are copied, inside the burst the
 * socket buffer has to absorb.
 */
let spare: ArrayBuffer | null = null;
function takeBuffer(size: number): Buffer {
  const ab = spare && spare.byteLength === size ? spare : new ArrayBuffer(size);
  spare = null;
  return Buffer.from(ab);
}
function prepareSpare(size: number): void {
  if (spare?.byteLength === size) return;
  spare = new ArrayBuffer(size);
  new Uint8Array(spare).fill(1).fill(0);
}

/** Below this many bytes in a stats period the busy time says nothing about the drain rate. */
const MIN_STATS_BYTES = 1 << 20;
let statsTimer: NodeJS.Timeout | null = null;
function startStats(gen: number): void {
  if (statsTimer) clearInterval(statsTimer);
  let bytes = rx.byteCount;
  let elu = performance.eventLoopUtilization();
  statsTimer = setInterval(() => {
    const since = performance.eventLoopUtilization(elu);
    elu = performance.eventLoopUtilization();
    const taken = rx.byteCount - bytes;
    bytes = rx.byteCount;
    const drops = socketDrops(rx.port);
    post({
      type: 'stats',
      gen,
      drainBytesPerS:
        taken >= MIN_STATS_BYTES && since.active > 0 ? (taken * 1000) / since.active : 0,
      burstBytesPerS: rx.burstBytesPerS,
      ...(drops !== undefined && { socketDrops: drops }),
    });
  }, STATS_MS);
}
function stopStats(): void {
  if (statsTimer) clearInterval(statsTimer);
  statsTimer = null;
}

let resendId = 0;
function resend(blockId: number, first: number, last: number): void {
  const p = Buffer.alloc(12);
  p.writeUInt32BE(blockId, 0);
  p.writeUInt32BE(first, 4);
  p.writeUInt32BE(last, 8);
  resendId = (resendId % 0xffff) + 1; // request id 0 is reserved
  rx.sendTo(encodeCommand(Cmd.packetResend, resendId, p, 0), camera.port, camera.address);
}

port.on('message', (m: ToStreamWorker) => {
  if (m.type === 'start') {
    const { gen, canResend, ...geometry } = m;
    prepareSpare(m.payloadSize);
    startStats(gen);
    rx.start({
      ...geometry,
      buffer: () => takeBuffer(m.payloadSize),
      resend: canResend ? resend : undefined,
      onFrame: ({ data, ...leader }) => {
        const ab = data.buffer as ArrayBuffer;
        post({ type: 'frame', gen, ...leader, data: ab }, [ab]);
        setImmediate(() => prepareSpare(m.payloadSize));
      },
      onIncomplete: (f) => post({ type: 'incomplete', gen, ...f }),
    });
  } else if (m.type === 'flush') {
    rx.flush();
    post({ type: 'flushed', gen: m.gen });
  } else if (m.type === 'stop') {
    stopStats();
    rx.stop();
  } else {
    stopStats();
    void rx.close().then(() => {
      post({ type: 'closed' });
      port.close();
    });
  }
});
post({ type: 'ready', port: rx.port, bufferBytes: rx.bufferBytes });
