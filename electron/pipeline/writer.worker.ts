/**
 * The writer thread: owns one DatasetWriter, writes frames in arrival order with
 * synchronous I/O and reports each one. After a write error every later frame is refused
 * (so nothing is written out of order past a hole) and the dataset is left for `close`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../../drivers/errors';
import { DatasetWriter } from '../storage/dataset-writer';
import type { FromWriter, ToWriter, WriterInit } from './writer-messages';

const port = parentPort;
if (!port) throw new Error('writer.worker.ts must run in a worker thread');
const init = workerData as WriterInit;
const send = (m: FromWriter, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

let writer: DatasetWriter | undefined;
let failure: ReturnType<typeof serializeError> | undefined;

try {
  writer = DatasetWriter.create(init);
  send({ type: 'opened', dir: writer.dir });
} catch (err) {
  send({ type: 'open-failed', error: serializeError(err) });
}

// Messages are handled strictly one after another (frames are written in arrival order).
let chain = Promise.resolve();
port.on('message', (m: ToWriter) => {
  chain = chain
    .then(() => handle(m))
    .catch((err: unknown) => {
      // handle() reports I/O errors itself; anything else is a bug: crash the thread so the
      // pipeline sees the writer die instead of waiting for an answer.
      setImmediate(() => {
        throw err;
      });
    });
});

async function handle(m: ToWriter): Promise<void> {
  if (!writer) return;
  if (m.type === 'frame') {
    const bytes = m.pixels.byteLength;
    if (failure) {
      send({ type: 'write-failed', id: m.id, bytes, error: failure, fatal: true });
      return;
    }
    try {
      await writer.writeFrame(m.index, m.meta, new Uint8Array(m.pixels));
      // The buffer goes back for reuse (FramePipeline.takeBuffer).
      send({ type: 'written', id: m.id, bytes, pixels: m.pixels }, [m.pixels]);
    } catch (err) {
      failure = serializeError(err);
      try {
        writer.journal('write-failed', { message: failure.message, index: m.index });
      } catch {
        // The disk may be too full even for the journal; the error still reaches the host.
      }
      send({ type: 'write-failed', id: m.id, bytes, error: failure, fatal: true });
    }
  } else if (m.type === 'journal') {
    try {
      writer.journal(m.event, m.fields);
    } catch {
      // Journal lines are advisory; a failing disk is reported by the next frame write.
    }
  } else {
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
