/**
 * Live archiving against a real Ceph RGW, with the real writer thread: objects reach the
 * gateway while the run acquires and the archive is verified seconds after close; a network
 * outage during the run costs no frames and the archive catches up; a kill -9 of the host
 * mid-run and mid-upload, then a restart, leaves a complete, byte-identical archive and
 * re-sends at most the requests that were in flight.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { uploadConfig } from '../../../electron/upload/config';
import { UploadQueue } from '../../../electron/upload/queue';
import type { UploadStatus } from '../../../electron/upload/status';
import { until } from '../../support/wait';
import { resends, spawnTsxChild } from './crash-harness';
import { openLiveRun } from './live-run';
import { remoteSha256, useRgwBucket } from './rgw';
import { TcpProxy } from './tcp-proxy';

const fx = useRgwBucket('aq-live');
const CONCURRENCY = 3;

function config(endpoint: string) {
  return {
    targets: [
      {
        name: 'ceph',
        kind: 's3',
        endpoint,
        bucket: fx.bucket,
        credentials: { accessKeyId: fx.rgw.accessKeyId, secretAccessKey: fx.rgw.secretAccessKey },
        concurrency: CONCURRENCY,
        stallTimeoutS: 2,
        archive: 'live',
      },
    ],
    retry: { baseMs: 100, maxMs: 500, maxAttempts: 3 },
  };
}

async function remoteKeys(prefix: string): Promise<string[]> {
  const r = await fx.rgw.client.send(
    new ListObjectsV2Command({ Bucket: fx.bucket, Prefix: prefix }),
  );
  return (r.Contents ?? []).map((o) => o.Key as string);
}

/** Every file of the local dataset (manifest included) equals its object on the gateway. */
async function expectIdentical(dir: string): Promise<number> {
  const name = path.basename(dir);
  const text = await readFile(path.join(dir, 'manifest.sha256'), 'utf8');
  const lines = text.trim().split('\n');
  for (const l of lines)
    expect(await remoteSha256(fx.rgw, fx.bucket, `${name}/${l.slice(66)}`), l.slice(66)).toBe(
      l.slice(0, 64),
    );
  const { createHash } = await import('node:crypto');
  expect(await remoteSha256(fx.rgw, fx.bucket, `${name}/manifest.sha256`)).toBe(
    createHash('sha256').update(text).digest('hex'),
  );
  return lines.length;
}

it('sends objects while the run acquires and verifies the archive seconds after close', async () => {
  const q = await UploadQueue.open({
    config: uploadConfig.parse(config(fx.rgw.endpoint)),
    journalDir: path.join(fx.tmp, 'journal-live'),
  });
  let last: UploadStatus | undefined;
  q.subscribe((s) => (last = s[0]));
  q.start();
  try {
    let remoteBeforeEnd = 0;
    let lagSeen = -1;
    const live = await openLiveRun({
      root: path.join(fx.tmp, 'data'),
      name: 'run-live',
      side: 1024,
      frames: 64,
      fps: 8,
      queue: q,
      onFrame: async (seq) => {
        if (seq !== 60) return;
        remoteBeforeEnd = (await remoteKeys('run-live/')).length;
        lagSeen = last?.live?.lagS ?? -1;
      },
    });
    const r = await live.run();
    expect(r.framesDropped).toBe(0);
    expect(r.framesWritten).toBe(64);
    expect(remoteBeforeEnd).toBeGreaterThan(32); // most of the 64 chunks were already there
    expect(lagSeen).toBeGreaterThanOrEqual(0);
    expect(lagSeen).toBeLessThan(10);
    await q.whenIdle();
    const verifiedAfterS = (performance.now() - r.closedAt) / 1000;
    expect(q.snapshot()[0]?.state).toBe('done');
    expect(verifiedAfterS).toBeLessThan(10);
    expect(await expectIdentical(r.dir)).toBeGreaterThan(64);
  } finally {
    await q.close();
  }
}, 120_000);

it('keeps acquiring through a network outage mid-run, then the archive catches up', async () => {
  const proxy = new TcpProxy(new URL(fx.rgw.endpoint));
  await proxy.listen();
  const q = await UploadQueue.open({
    config: uploadConfig.parse(config(proxy.endpoint)),
    journalDir: path.join(fx.tmp, 'journal-outage'),
  });
  let last: UploadStatus | undefined;
  const reasons = new Set<string>();
  q.subscribe((s) => {
    last = s[0];
    if (last?.reason) reasons.add(last.reason);
  });
  q.start();
  try {
    const live = await openLiveRun({
      root: path.join(fx.tmp, 'data'),
      name: 'run-outage',
      side: 1024,
      frames: 64,
      fps: 8,
      queue: q,
      onFrame: (seq) => {
        if (seq === 16) proxy.freeze();
        if (seq === 48) proxy.thaw();
      },
    });
    const r = await live.run();
    expect(r.framesDropped).toBe(0);
    expect(r.framesWritten).toBe(64);
    await q.whenIdle();
    expect(q.snapshot()[0]?.state, q.snapshot()[0]?.reason).toBe('done');
    expect([...reasons].join('\n')).toMatch(/timed out|was reset/); // the outage was felt
    await expectIdentical(r.dir);
  } finally {
    await q.close();
    await proxy.close();
  }
}, 120_000);

it('OME-TIFF: streams the growing file as a multipart upload, the header part at close', async () => {
  const sends: { what: string; at: number }[] = [];
  const cfg = config(fx.rgw.endpoint);
  const q = await UploadQueue.open({
    config: uploadConfig.parse({ ...cfg, targets: [{ ...cfg.targets[0], partSizeMiB: 5 }] }),
    journalDir: path.join(fx.tmp, 'journal-tiff'),
    observer: { sending: (rel, n) => sends.push({ what: `${rel}#${n}`, at: performance.now() }) },
  });
  q.start();
  try {
    const live = await openLiveRun({
      root: path.join(fx.tmp, 'data'),
      name: 'run-tiff',
      format: 'ome-tiff',
      side: 1024,
      frames: 48,
      fps: 8,
      queue: q,
    });
    const r = await live.run();
    expect(r.framesDropped).toBe(0);
    await q.whenIdle();
    expect(q.snapshot()[0]?.state, q.snapshot()[0]?.reason).toBe('done');
    const tiff = sends.filter((s) => s.what.startsWith('run-tiff.ome.tif#'));
    const before = tiff.filter((s) => s.at < r.closedAt).map((s) => s.what);
    const after = tiff.filter((s) => s.at >= r.closedAt).map((s) => s.what);
    // 96 MiB in 5 MiB parts: most went while acquiring; part 1 (the header) only at close.
    expect(before.length).toBeGreaterThan(10);
    expect(before).not.toContain('run-tiff.ome.tif#1');
    expect(after).toContain('run-tiff.ome.tif#1');
    expect(new Set(tiff.map((s) => s.what)).size).toBe(tiff.length); // none sent twice
    await expectIdentical(r.dir);
    const open = await fx.rgw.client.send(
      new ListMultipartUploadsCommand({ Bucket: fx.bucket, Prefix: 'run-tiff/' }),
    );
    expect(open.Uploads ?? []).toEqual([]);
  } finally {
    await q.close();
  }
}, 120_000);

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'live-run-child.ts');

it('kill -9 of the host mid-run and mid-upload: the restarted host completes an identical archive', async () => {
  const trace = path.join(fx.tmp, 'trace-kill.txt');
  const args = {
    root: path.join(fx.tmp, 'data-kill'),
    name: 'run-kill',
    side: 512,
    frames: 400,
    fps: 40,
    config: config(fx.rgw.endpoint),
    journalDir: path.join(fx.tmp, 'journal-kill'),
    trace,
  };
  const sent = async () =>
    (await readFile(trace, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  const first = spawnTsxChild(child, { ...args, mode: 'run' });
  await until('the run to start', () => first.out().includes('dir '), 60_000);
  // Kill once a good part of the run is archived and uploads are going on.
  for (let i = 0; i < 600 && (await sent()).length < 60; i++) {
    if (first.proc.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(first.proc.exitCode, first.err()).toBeNull(); // still acquiring
  first.proc.kill('SIGKILL');
  await first.exited;
  const sentBefore = await sent();
  expect(sentBefore.length).toBeGreaterThanOrEqual(60);
  expect(await remoteKeys('run-kill/')).not.toContain('run-kill/manifest.sha256');
  const second = spawnTsxChild(child, { ...args, mode: 'resume' });
  const code = await second.exited;
  expect(code, second.err()).toBe(0);
  const final = JSON.parse(second.out().trim().split('\n').at(-1) ?? '[]') as UploadStatus[];
  expect(final.map((s) => [s.state, s.reason])).toEqual([['done', undefined]]);
  const all = await sent();
  // Only requests in flight at the kill may go twice.
  expect(resends(all), all.join(' ')).toBeLessThanOrEqual(CONCURRENCY);
  expect(await expectIdentical(path.join(args.root, 'run-kill'))).toBeGreaterThan(60);
}, 180_000);
