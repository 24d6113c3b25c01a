import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Hasher } from '../../../electron/upload/hasher';

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('Hasher', () => {
  let hasher: Hasher | undefined;
  afterEach(() => hasher?.close());

  it('hashes several files at once on several threads, each in part order', async () => {
    hasher = new Hasher(2);
    const files = [0, 1, 2].map(() => [randomBytes(300_000), randomBytes(200_000), randomBytes(7)]);
    const streams = files.map(() => hasher!.stream());
    // Interleave the files' parts, as concurrent uploads do.
    const parts = await Promise.all(
      [0, 1, 2].flatMap((p) => files.map((f, i) => hasher!.part(streams[i]!, Buffer.from(f[p]!)))),
    );
    for (const [k, r] of parts.entries()) {
      const original = files[k % 3]![Math.floor(k / 3)]!;
      expect(r.buf.equals(original)).toBe(true); // the bytes come back intact
      expect(r.md5Hex).toBe(md5(original));
      expect(r.md5Base64).toBe(Buffer.from(md5(original), 'hex').toString('base64'));
    }
    const sums = await Promise.all(streams.map((s) => hasher!.end(s)));
    expect(sums).toEqual(files.map((f) => sha256(Buffer.concat(f))));
  });
});
