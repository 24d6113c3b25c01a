/**
 * Hashing off the main thread: for each stream id, MD5 of every part (Content-MD5 and the
 * multipart ETag) and a running sha256 of the whole file (checked against the manifest).
 * Messages are handled in arrival order, so parts of one stream must be posted in file order.
 * Part buffers arrive transferred and are transferred back.
 */
import { createHash, type Hash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

export type HashRequest =
  | { op: 'part'; seq: number; stream: number; data: ArrayBuffer; length: number }
  | { op: 'end'; seq: number; stream: number };
export type HashReply =
  { seq: number; md5: string; data: ArrayBuffer } | { seq: number; sha256: string };

const streams = new Map<number, Hash>();

parentPort?.on('message', (m: HashRequest) => {
  if (m.op === 'part') {
    const bytes = new Uint8Array(m.data, 0, m.length);
    let sha = streams.get(m.stream);
    if (!sha) {
      sha = createHash('sha256');
      streams.set(m.stream, sha);
    }
    sha.update(bytes);
    const md5 = createHash('md5').update(bytes).digest('hex');
    parentPort?.postMessage({ seq: m.seq, md5, data: m.data } satisfies HashReply, [m.data]);
  } else {
    const sha = streams.get(m.stream) ?? createHash('sha256');
    streams.delete(m.stream);
    parentPort?.postMessage({ seq: m.seq, sha256: sha.digest('hex') } satisfies HashReply);
  }
});
