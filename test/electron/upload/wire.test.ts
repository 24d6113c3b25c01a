import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PartBody, Wire } from '../../../electron/upload/wire';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('Wire', () => {
  it('gives turns in order, each after the one before it is released', async () => {
    const wire = new Wire();
    const signal = new AbortController().signal;
    const order: string[] = [];
    const first = await wire.turn(signal);
    const second = wire.turn(signal).then((release) => (order.push('second'), release));
    const third = wire.turn(signal).then((release) => (order.push('third'), release));
    await tick();
    expect(order).toEqual([]);
    first();
    const releaseSecond = await second;
    await tick();
    expect(order).toEqual(['second']);
    releaseSecond();
    releaseSecond(); // idempotent
    (await third)();
    expect(order).toEqual(['second', 'third']);
  });

  it('a waiter that is aborted passes its turn on without waiting for it', async () => {
    const wire = new Wire();
    const first = await wire.turn(new AbortController().signal);
    const ac = new AbortController();
    const aborted = wire.turn(ac.signal);
    let thirdGot = false;
    const third = wire.turn(new AbortController().signal).then((r) => ((thirdGot = true), r));
    ac.abort(new Error('cancelled'));
    await expect(aborted).rejects.toThrow('cancelled');
    await tick();
    expect(thirdGot).toBe(false); // still behind the first
    first();
    (await third)();
    expect(thirdGot).toBe(true);
  });
});

describe('PartBody', () => {
  it('reports flushed only once every byte has been written and the request ended', async () => {
    const bytes = Buffer.alloc(3.5 * 1024 * 1024, 7);
    bytes.writeUInt32LE(0xdeadbeef, bytes.length - 4);
    const got: Buffer[] = [];
    const pending: (() => void)[] = [];
    // A slow socket: each write completes only when the test lets it.
    const dest = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, done) {
        got.push(chunk);
        pending.push(done);
      },
    });
    let flushed = 0;
    new PartBody(bytes, () => flushed++).pipe(dest);
    for (let i = 0; i < 20 && flushed === 0; i++) {
      await tick();
      const all = got.reduce((n, c) => n + c.length, 0) === bytes.length;
      if (!all || pending.length > 0) expect(flushed).toBe(0);
      pending.shift()?.();
    }
    expect(flushed).toBeGreaterThanOrEqual(1); // on finish, and again on close (idempotent)
    expect(Buffer.concat(got).equals(bytes)).toBe(true);
    expect(got.length).toBeGreaterThan(1); // sent in slices, not one write of the whole part
  });

  it('reports flushed when the request is destroyed before its end', async () => {
    const dest = new Writable({ write: () => undefined }); // never completes a write
    let flushed = 0;
    new PartBody(Buffer.alloc(4 * 1024 * 1024), () => flushed++).pipe(dest);
    await tick();
    expect(flushed).toBe(0);
    dest.destroy();
    await tick();
    expect(flushed).toBeGreaterThanOrEqual(1);
  });

  it('streams into a real HTTP request: the server receives exactly the bytes', async () => {
    const bytes = Buffer.alloc(5 * 1024 * 1024 + 17);
    for (let i = 0; i < bytes.length; i += 4096) bytes[i] = i % 251;
    const server = createServer((req: IncomingMessage, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => res.end(String(Buffer.concat(parts).equals(bytes))));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      let flushedBeforeResponse = false;
      let flushed = false;
      const answer = await new Promise<string>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, method: 'PUT', headers: { 'content-length': bytes.length } },
          (res) => {
            flushedBeforeResponse = flushed;
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve(text));
          },
        );
        req.on('error', reject);
        new PartBody(bytes, () => (flushed = true)).pipe(req);
      });
      expect(answer).toBe('true');
      expect(flushedBeforeResponse).toBe(true);
    } finally {
      server.close();
    }
  });
});
