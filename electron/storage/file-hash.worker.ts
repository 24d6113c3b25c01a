/**
 * Hash thread of the dataset writer (see file-hasher.ts): SHA-256 of a whole file, read
 * through one reused buffer (the file was just written, so it is read from the page cache).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';

export interface FileHashRequest {
  id: number;
  file: string;
}
export type FileHashReply =
  { id: number; sha256: string; bytes: number } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error('file-hash.worker.ts must run in a worker thread');
const buf = Buffer.allocUnsafe(8 << 20);

port.on('message', ({ id, file }: FileHashRequest) => {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const hash = createHash('sha256');
    let bytes = 0;
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, bytes)) > 0; bytes += n)
      hash.update(buf.subarray(0, n));
    port.postMessage({ id, sha256: hash.digest('hex'), bytes } satisfies FileHashReply);
  } catch (err) {
    port.postMessage({ id, error: (err as Error).message } satisfies FileHashReply);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
});
