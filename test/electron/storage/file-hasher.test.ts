import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileHasher } from '../../../electron/storage/file-hasher';
import { tempDir } from '../../support/temp-dir';

describe('FileHasher', () => {
  const hashers: FileHasher[] = [];
  afterEach(() => hashers.splice(0).forEach((h) => h.close()));

  it('hashes files on its threads (sizes around the read buffer), in any order', async () => {
    const dir = tempDir('file-hasher');
    const sizes = [0, 1, (8 << 20) - 1, 8 << 20, (8 << 20) + 3, 20 << 20];
    const files = sizes.map((n, k) => {
      const file = path.join(dir, `f${k}`);
      const data = Buffer.alloc(n);
      for (let i = 0; i < n; i += 4093) data[i] = (i + k) & 0xff;
      fs.writeFileSync(file, data);
      return { file, sha256: createHash('sha256').update(data).digest('hex'), bytes: n };
    });
    const h = new FileHasher(2);
    hashers.push(h);
    const got = await Promise.all(files.map((f) => h.hash(f.file)));
    expect(got).toEqual(files.map(({ sha256, bytes }) => ({ sha256, bytes })));
  });

  it('rejects for a file it cannot read, and keeps working', async () => {
    const dir = tempDir('file-hasher');
    const h = new FileHasher(1);
    hashers.push(h);
    await expect(h.hash(path.join(dir, 'missing'))).rejects.toThrow(/ENOENT/);
    fs.writeFileSync(path.join(dir, 'ok'), 'abc');
    expect((await h.hash(path.join(dir, 'ok'))).sha256).toBe(
      createHash('sha256').update('abc').digest('hex'),
    );
  });

  it('fails what a dead hash thread owed, then starts a new one', async () => {
    const dir = tempDir('file-hasher');
    fs.writeFileSync(path.join(dir, 'ok'), 'abc');
    const h = new FileHasher(1);
    hashers.push(h);
    await h.hash(path.join(dir, 'ok')); // the thread is up
    const workers = (h as unknown as { workers: { terminate(): Promise<number> }[] }).workers;
    // A sparse 256 MiB file keeps the thread hashing (~0.15 s) while it is terminated.
    const big = path.join(dir, 'big');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, 256 << 20);
    const owed = h.hash(big);
    await workers[0]!.terminate();
    await expect(owed).rejects.toThrow(/exited/);
    expect((await h.hash(path.join(dir, 'ok'))).bytes).toBe(3);
  });

  it('refuses work once closed', async () => {
    const h = new FileHasher(1);
    h.close();
    await expect(h.hash('/nonexistent')).rejects.toThrow(/closed/);
  });
});
