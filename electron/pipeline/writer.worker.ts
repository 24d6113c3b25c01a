/**
 * The writer thread: owns one DatasetWriter and writes frames as they arrive, up to
 * `framesInFlight` at once (each one's place in the dataset is fixed in arrival order), and
 * reports each one. After a write error no further frame is started (frames already in
 * flight finish and are reported) and the dataset is left for `close`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../../drivers/errors';
import { DatasetWriter } from '../storage/dataset-writer';
import { planeBytes } from '../storage/layout';
import type { FromWriter, ToWriter, WriterInit } from './writer-messages';

const port = parentPort;
if (!port) throw new Error('writer.worker.ts must run in a worker thread');
const init = workerData as WriterInit;
const send = (m: FromWriter, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

let writer: DatasetWriter | undefined;
let failure: ReturnType<typeof serializeError> | undefined;

try {
  writer = DatasetWriter.create({
    ...init,
    onFileFinal: (rel, h) =>
      send({ type: 'file-final', rel, sha256: h.sha256, sizeBytes: h.bytes }),
    onFileGrowing: (rel, finalBytes) => send({ type: 'file-growing', rel, finalBytes }),
  });
  send({ type: 'opened', dir: writer.dir });
} catch (err) {
  send({ type: 'open-failed', error: serializeError(err) });
}

/**
 * Overlapping plane writes keep the disk and the libuv pool busy between syscalls: up to 4
 * frames, but no more than `heldBytes` of planes. Every plane this thread holds is an
 * ArrayBuffer counted as external memory until a collection; well beyond 16 MiB held (4
 * frames of 2048² uint16 are 32 MiB) that starts a scavenge every few planes, which
 * promotes the buffers in flight and so leads to full collections (docs/datasets.md,
 * "Aquila's own per-plane cost").
 */
const heldBytes = 16 << 20;
const framesInFlight = Math.max(1, Math.min(4, Math.floor(heldBytes / planeBytes(init.layout))));
const inFlight = new Set<Promise<void>>();

// Messages are taken strictly in arrival order; a frame is started (not finished) in turn.
let chain = Promise.resolve();
const onMessage = (m: ToWriter): void => {
  if (m.type === 'frame') holdFrame();
  chain = chain
    .then(() => handle(m))
    .catch((err: unknown) => {
      // handle() reports I/O errors itself; anything else is a bug: crash the thread so the
      // pipeline sees the writer die instead of waiting for an answer.
      setImmediate(() => {
        throw err;
      });
    });
};
port.on('message', onMessage);

/**
 * Frames taken off the port and not yet reported. At `framesInFlight` the port stops
 * delivering until one is reported: frames the host queued beyond that stay serialized in
 * the port instead of becoming ArrayBuffers of this thread, whose external memory would
 * start a scavenge every few planes and promote the waiting buffers into full collections
 * (docs/datasets.md, "Aquila's own per-plane cost").
 */
let framesHeld = 0;
const holdFrame = (): void => {
  if (++framesHeld === framesInFlight) port.off('message', onMessage);
};
const releaseFrame = (): void => {
  if (framesHeld-- === framesInFlight) port.on('message', onMessage);
};

async function handle(m: ToWriter): Promise<void> {
  if (!writer) {
    if (m.type === 'frame') releaseFrame();
    return;
  }
  if (m.type === 'frame') {
    while (inFlight.size >= framesInFlight) await Promise.race(inFlight);
    const w = writeFrame(writer, m).finally(() => {
      inFlight.delete(w);
      releaseFrame();
    });
    inFlight.add(w);
  } else if (m.type === 'journal') {
    try {
      writer.journal(m.event, m.fields);
    } catch {
      // Journal lines are advisory; a failing disk is reported by the next frame write.
    }
  } else {
    await Promise.all(inFlight);
    await writer.settled();
    const end =
      failure && m.end.outcome === 'complete'
        ? { outcome: 'failed' as const, reason: failure.message }
        : m.end;
    try {
      send({ type: 'closed', summary: writer.close(end, m.framesDropped) });
    } catch (err) {
      send({ type: 'close-failed', error: serializeError(err) });
    }
  }
}

async function writeFrame(
  w: DatasetWriter,
  m: Extract<ToWriter, { type: 'frame' }>,
): Promise<void> {
  const bytes = m.pixels.byteLength;
  if (failure) {
    send({ type: 'write-failed', id: m.id, bytes, error: failure, fatal: true });
    return;
  }
  try {
    await w.writeFrame(m.index, m.meta, new Uint8Array(m.pixels));
    // The buffer goes back for reuse (FramePipeline.takeBuffer).
    send({ type: 'written', id: m.id, bytes, pixels: m.pixels }, [m.pixels]);
  } catch (err) {
    failure ??= serializeError(err);
    try {
      w.journal('write-failed', { message: serializeError(err).message, index: m.index });
    } catch {
      // The disk may be too full even for the journal; the error still reaches the host.
    }
    send({ type: 'write-failed', id: m.id, bytes, error: serializeError(err), fatal: true });
  }
}
