/**
 * A gateway that stops moving bytes mid-upload (a frozen TCP proxy in front of a real Ceph
 * RGW): the stalled requests time out after `stallTimeoutS`, the attempt is retried with
 * backoff, and the upload completes once bytes flow again. Without the stall timeout the
 * SDK would wait on the dead connections for ever.
 */
import net from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { uploadConfig } from '../../../electron/upload/config';
import { UploadQueue } from '../../../electron/upload/queue';
import type { UploadStatus } from '../../../electron/upload/status';
import { makeDataset, MIB } from './dataset-fixture';
import { remoteSha256, useRgwBucket } from './rgw';
import { until } from '../../support/wait';

/** Forwards TCP to `target`; while frozen, no byte moves in either direction. */
class FreezableProxy {
  private frozen = false;
  private readonly sockets = new Set<net.Socket>();
  private readonly server: net.Server;
  port = 0;

  constructor(target: URL) {
    this.server = net.createServer((client) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      for (const [from, to] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.sockets.add(from);
        from.pipe(to);
        from.on('error', () => to.destroy());
        from.on('close', () => {
          this.sockets.delete(from);
          to.destroy();
        });
        if (this.frozen) from.pause();
      }
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  freeze(): void {
    this.frozen = true;
    for (const s of this.sockets) {
      s.unpipe();
      s.pause();
    }
  }

  thaw(): void {
    this.frozen = false;
    // Frozen connections were abandoned by the client; new ones flow normally.
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

const fx = useRgwBucket('aq-stall');

it('abandons requests on a stalled gateway, retries, and completes when bytes flow again', async () => {
  const gw = fx.rgw;
  const proxy = new FreezableProxy(new URL(gw.endpoint));
  await proxy.listen();
  const dir = await makeDataset(fx.tmp, 'ds-stall', [
    { rel: 'a.bin', sizeBytes: 24 * MIB },
    { rel: 'b.json', sizeBytes: 700 },
  ]);
  const queue = await UploadQueue.open({
    config: uploadConfig.parse({
      targets: [
        {
          name: 'ceph',
          kind: 's3',
          endpoint: `http://127.0.0.1:${proxy.port}`,
          bucket: fx.bucket,
          credentials: { accessKeyId: gw.accessKeyId, secretAccessKey: gw.secretAccessKey },
          partSizeMiB: 5,
          concurrency: 2,
          stallTimeoutS: 1,
        },
      ],
      bandwidthLimitMBps: 8,
      retry: { baseMs: 200, maxMs: 500, maxAttempts: 20 },
    }),
    journalDir: path.join(fx.tmp, 'journal'),
  });
  let last: UploadStatus | undefined;
  queue.subscribe((snap) => (last = snap[0]));
  try {
    await queue.enqueue(dir, 'ceph');
    queue.start();
    await until('some progress', () => (last?.bytesDone ?? 0) >= 5 * MIB, 30_000);
    proxy.freeze();
    const frozenAt = Date.now();
    await until('a timed-out attempt', () => (last?.attempts ?? 0) >= 1, 15_000);
    expect(Date.now() - frozenAt).toBeLessThan(10_000);
    expect(last?.reason).toMatch(/upload target "ceph".*(timed out|inactivity)/);
    expect(last?.state).toBe('queued'); // waiting to retry, not failed
    proxy.thaw();
    await queue.whenIdle();
    const final = queue.snapshot()[0];
    expect(final?.state, final?.reason).toBe('done');
    const manifest = await readFile(path.join(dir, 'manifest.sha256'), 'utf8');
    for (const line of manifest.trim().split('\n'))
      expect(await remoteSha256(gw, fx.bucket, `ds-stall/${line.slice(66)}`)).toBe(
        line.slice(0, 64),
      );
  } finally {
    await queue.close();
    await proxy.close();
  }
}, 120_000);
