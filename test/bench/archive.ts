/**
 * `npm run bench:archive [-- --gib N] [--side PX] [--mbps R] [--concurrency C]`: a run that
 * acquires N GiB (default 4) of uint16 frames (PX², default 2048) through the real writer
 * thread at R MB/s (default 40, a rate the gateway sustains; a full writer queue drops frames,
 * as a camera that cannot wait), archived to a Ceph RGW twice in the same process: live (each
 * OME-Zarr chunk sent as the writer finishes it) and at close (today's behaviour). Prints for
 * each: the time from run end (dataset closed) to the verified archive (goal ≤ 30 s live),
 * the run's frame drops (goal 0), bytes re-sent after interruptions; and the ratio of the
 * two end-to-verified times.
 * Uses S3_ENDPOINT/S3_ACCESS_KEY/S3_SECRET_KEY when set, else starts a bluestore RGW (the two
 * runs store 2 × N GiB) and stops it at the end.
 */
import '../../electron/host/thread-pool';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { uploadConfig } from '../../electron/upload/config';
import { UploadQueue } from '../../electron/upload/queue';
import type { UploadStatus } from '../../electron/upload/status';
import { frameBytes, openLiveRun } from '../electron/upload/live-run';
import { cephTarget, openGateway, stopCluster } from '../support/ceph-gateway';
import { client, type Gw } from './upload-baselines';

const { values } = parseArgs({
  options: {
    gib: { type: 'string', default: '4' },
    side: { type: 'string', default: '2048' },
    mbps: { type: 'string', default: '40' },
    concurrency: { type: 'string', default: '4' },
  },
});
const gib = Number(values.gib);
const side = Number(values.side);
const mbps = Number(values.mbps);
const concurrency = Number(values.concurrency);
const frames = Math.max(16, Math.round((gib * 2 ** 30) / frameBytes(side) / 8) * 8);
const fps = (mbps * 1e6) / frameBytes(side);

interface Outcome {
  policy: string;
  runS: number;
  endToVerifiedS: number;
  dropped: number;
  written: number;
  resentBytes: number;
  /** Archived bytes when the run ended (live only). */
  archivedAtEnd: number;
}

async function archiveRun(gw: Gw, tmp: string, policy: 'live' | 'at-close'): Promise<Outcome> {
  const queue = await UploadQueue.open({
    config: uploadConfig.parse({
      targets: [cephTarget(gw, gw.bucket, { region: gw.region, concurrency, archive: policy })],
      retry: { baseMs: 200, maxMs: 2_000, maxAttempts: 10 },
    }),
    journalDir: path.join(tmp, `journal-${policy}`),
  });
  let last: UploadStatus | undefined;
  queue.subscribe((s) => (last = s[0]));
  queue.start();
  try {
    const live = await openLiveRun({
      root: path.join(tmp, 'data'),
      name: `run-${policy}`,
      side,
      frames,
      fps,
      queue,
    });
    const t0 = performance.now();
    const r = await live.run();
    const archivedAtEnd = last?.live?.archivedBytes ?? 0;
    await queue.whenIdle();
    const end = performance.now();
    const s = queue.snapshot()[0];
    if (s?.state !== 'done') throw new Error(`${policy}: archive ended ${s?.state}: ${s?.reason}`);
    await rm(r.dir, { recursive: true, force: true });
    return {
      policy,
      runS: (r.closedAt - t0) / 1000,
      endToVerifiedS: (end - r.closedAt) / 1000,
      dropped: r.framesDropped,
      written: r.framesWritten,
      resentBytes: s.bytesResent ?? 0,
      archivedAtEnd,
    };
  } finally {
    await queue.close();
  }
}

async function main(): Promise<void> {
  if (!process.env.S3_ENDPOINT) console.log('starting a bluestore Ceph RGW …');
  const { dir: gwDir, ...s3 } = await openGateway({
    env: { CEPH_RGW_OBJECTSTORE: 'bluestore' },
    timeoutMs: 300_000,
  });
  const gw: Gw = { ...s3, bucket: `aquila-bench-archive-${process.pid}` };
  const c = client(gw, 4);
  await c.send(new CreateBucketCommand({ Bucket: gw.bucket }));
  c.destroy();
  const tmp = await mkdtemp(path.join(tmpdir(), 'aquila-bench-archive-'));
  try {
    const mib = (frames * frameBytes(side)) / 2 ** 20;
    console.log(
      `run: ${frames} frames of ${side}² uint16 = ${mib.toFixed(0)} MiB at ${mbps} MB/s (${fps.toFixed(2)} frames/s), OME-Zarr 0.4, concurrency ${concurrency}`,
    );
    const results: Outcome[] = [];
    for (const policy of ['at-close', 'live'] as const) {
      const o = await archiveRun(gw, tmp, policy);
      results.push(o);
      console.log(
        `${policy.padEnd(8)}  run ${o.runS.toFixed(1)} s, ${o.written} frames written, ${o.dropped} dropped (goal 0); ` +
          `archived at run end ${(o.archivedAtEnd / 2 ** 20).toFixed(0)} MiB; ` +
          `run end → verified archive ${o.endToVerifiedS.toFixed(1)} s; re-sent ${o.resentBytes} bytes`,
      );
    }
    const [close, live] = results as [Outcome, Outcome];
    console.log('');
    console.log(
      `live: archive verified ${live.endToVerifiedS.toFixed(1)} s after the run ended (goal ≤ 30 s), at close ${close.endToVerifiedS.toFixed(1)} s: ${(close.endToVerifiedS / Math.max(0.001, live.endToVerifiedS)).toFixed(1)}× sooner`,
    );
    console.log(`frame drops: live ${live.dropped}, at close ${close.dropped} (goal 0)`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
    if (gwDir) await stopCluster(gwDir);
  }
}

await main();
