/**
 * GVSP stream thread (GvspStream): owns the stream socket, reassembles frames with
 * GvspReceiver and sends PACKETRESEND to the camera's GVCP port from the same socket.
 * Each frame is received into a buffer of its own, which is transferred to the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Cmd, encodeCommand } from './gvcp';
import { GvspReceiver } from './gvsp';
import type { FromStreamWorker, StreamWorkerData, ToStreamWorker } from './gvsp-stream';

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
    rx.stop();
  } else {
    void rx.close().then(() => {
      post({ type: 'closed' });
      port.close();
    });
  }
});
post({ type: 'ready', port: rx.port, bufferBytes: rx.bufferBytes });
