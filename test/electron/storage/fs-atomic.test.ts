import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeChunks } from '../../../electron/storage/fs-atomic';
import { tempDir } from '../../support/temp-dir';

function bytes(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
}

describe('writeChunks', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes the chunks back to back at the position, skipping empty ones', async () => {
    const file = path.join(tempDir('fs-atomic'), 'f.bin');
    fs.writeFileSync(file, new Uint8Array(8).fill(0xee));
    const fd = fs.openSync(file, 'r+');
    const parts = [bytes(5, 1), new Uint8Array(0), bytes(3, 2), bytes(7, 3)];
    await writeChunks(fd, parts, 4);
    fs.closeSync(fd);
    const got = fs.readFileSync(file);
    expect([...got.subarray(0, 4)]).toEqual([0xee, 0xee, 0xee, 0xee]);
    expect([...got.subarray(4)]).toEqual(parts.flatMap((p) => [...p]));
  });

  it('goes on after short writes, mid-chunk and on a chunk boundary, until every byte is out', async () => {
    const file = path.join(tempDir('fs-atomic'), 'f.bin');
    const fd = fs.openSync(file, 'w+');
    const real = fs.writev.bind(fs);
    // The kernel may write less than asked (signals, quotas): 4 bytes, then 3, then the rest.
    const limits = [4, 3];
    const calls: number[] = [];
    vi.spyOn(fs, 'writev').mockImplementation(((
      f: number,
      bufs: NodeJS.ArrayBufferView[],
      pos: number,
      cb: (err: NodeJS.ErrnoException | null, n: number) => void,
    ) => {
      calls.push(pos);
      const limit = limits.shift();
      if (limit === undefined) return real(f, bufs, pos, cb);
      const all = Buffer.concat(
        bufs.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)),
      );
      return real(f, [all.subarray(0, limit)], pos, cb);
    }) as unknown as typeof fs.writev);
    const parts = [bytes(4, 1), bytes(6, 2), bytes(2, 3)];
    await writeChunks(fd, parts, 0);
    fs.closeSync(fd);
    expect(calls).toEqual([0, 4, 7]);
    expect([...fs.readFileSync(file)]).toEqual(parts.flatMap((p) => [...p]));
  });

  it('rejects instead of looping when a write makes no progress', async () => {
    const fd = fs.openSync(path.join(tempDir('fs-atomic'), 'f.bin'), 'w+');
    vi.spyOn(fs, 'writev').mockImplementation(((
      _f: number,
      _b: unknown,
      _p: number,
      cb: (err: null, n: number) => void,
    ) => setImmediate(() => cb(null, 0))) as unknown as typeof fs.writev);
    await expect(writeChunks(fd, [bytes(4, 0)], 0)).rejects.toThrow(/no progress/);
    fs.closeSync(fd);
  });

  it('rejects with the file system error', async () => {
    const file = path.join(tempDir('fs-atomic'), 'ro.bin');
    fs.writeFileSync(file, '');
    const fd = fs.openSync(file, 'r'); // read-only: a write fails with EBADF
    await expect(writeChunks(fd, [bytes(4, 0)], 0)).rejects.toMatchObject({ code: 'EBADF' });
    fs.closeSync(fd);
  });
});
