/**
 * `npm run bench:upload [-- --gib N] [--file-mib F] [--kills K] [--part-mib M] [--shared]`:
 * archive an N GiB dataset (default 4, in files of F MiB, default 512) to a Ceph RGW and
 * compare with the best raw upload of the same bytes to the same gateway in the same run:
 * parallel multipart (no Content-MD5, no hashing, no journal) and parallel
 * plain PutObject of whole files, each at several concurrencies. Each run is a separate child
 * process (clean peak RSS); objects are deleted between runs. Prints
 *   ratio = Aquila throughput / best baseline throughput   (goal ≥ 0.9)
 *   peak RSS of the Aquila process                          (goal ≤ 512 MiB)
 *   resume overhead = parts re-sent per kill -9              (goal ≤ 1 part per interruption)
 * Uses S3_ENDPOINT/S3_ACCESS_KEY/S3_SECRET_KEY when set, else starts a bluestore RGW
 * (memstore would hold every stored byte twice in RAM) and stops it at the end.
 * CPUs: with its own gateway the bench runs the gateway's daemons on CPU 0 and every upload
 * process on CPU 1, as at a facility where the RGW has its own servers: the uploader's
 * hashing then takes no CPU from the gateway it is measured against (and Aquila's hash
 * threads share one core, which only handicaps Aquila). --shared lets both use every core,
 * the co-located case, where the baselines gain what Aquila spends on MD5 and SHA-256.
 */
import { execFile, spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateBucketCommand, DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DEFAULT_PART_MIB, uploadConfig } from '../../electron/upload/config';
import { UploadQueue } from '../../electron/upload/queue';
import { openGateway, stopCluster } from '../support/ceph-gateway';
import { client, MIB, rawMultipart, rawPut, type Gw, type Job } from './upload-baselines';

const self = fileURLToPath(import.meta.url);

async function aquila(job: Job): Promise<void> {
  const queue = await UploadQueue.open({
    config: uploadConfig.parse({
      targets: [
        {
          name: 'ceph',
          kind: 's3',
          endpoint: job.gw.endpoint,
          bucket: job.gw.bucket,
          region: job.gw.region,
          prefix: 'aquila/',
          credentials: { accessKeyId: job.gw.accessKeyId, secretAccessKey: job.gw.secretAccessKey },
          partSizeMiB: job.partMiB,
          concurrency: job.concurrency,
        },
      ],
      retry: { baseMs: 200, maxMs: 2_000, maxAttempts: 5 },
    }),
    journalDir: job.journalDir as string,
    ...(job.trace
      ? {
          observer: {
            sending: (rel: string, n: number) =>
              appendFileSync(job.trace as string, `${rel}#${n}\n`),
          },
        }
      : {}),
  });
  if (queue.snapshot().length === 0) await queue.enqueue(job.dataset, 'ceph');
  queue.start();
  await queue.whenIdle();
  const s = queue.snapshot()[0];
  await queue.close();
  if (s?.state !== 'done') throw new Error(`aquila upload ended ${s?.state}: ${s?.reason}`);
}

async function child(job: Job): Promise<void> {
  const t0 = performance.now();
  if (job.mode === 'aquila') await aquila(job);
  else {
    const c = client(job.gw, job.concurrency * 2);
    await (job.mode === 'multipart' ? rawMultipart(job, c) : rawPut(job, c));
    c.destroy();
  }
  const seconds = (performance.now() - t0) / 1_000;
  const ru = process.resourceUsage(); // all threads: main, hash threads, libuv pool
  process.stdout.write(
    `${JSON.stringify({ seconds, maxRssMiB: ru.maxRSS / 1024, cpuS: (ru.userCPUTime + ru.systemCPUTime) / 1e6 })}\n`,
  );
}

async function lines(file: string): Promise<number> {
  return (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
}

/**
 * Runs one child. With `killWithinMs`, SIGKILLs it a random 0…killWithinMs after it has
 * started sending (seen in the trace), so every interruption lands mid-upload.
 */
/** CPUs the upload processes may use (`taskset -c` list); undefined = any. */
let clientCpus: string | undefined;

function runChild(
  job: Job,
  killWithinMs?: number,
): Promise<{ seconds: number; maxRssMiB: number; cpuS: number } | 'killed'> {
  return new Promise((resolve, reject) => {
    const argv = [process.execPath, '--import', 'tsx', self, '--child', JSON.stringify(job)];
    const cmd = clientCpus ? ['taskset', '-c', clientCpus, ...argv] : argv;
    const p = spawn(cmd[0] as string, cmd.slice(1), {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    if (killWithinMs !== undefined && job.trace) {
      const trace = job.trace;
      void (async () => {
        const before = await lines(trace);
        while (p.exitCode === null && (await lines(trace)) <= before)
          await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => setTimeout(r, Math.random() * killWithinMs));
        if (p.exitCode === null) p.kill('SIGKILL');
      })();
    }
    p.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve(JSON.parse(out.trim().split('\n').at(-1) as string));
      else reject(new Error(`${job.mode} run exited with ${code}`));
    });
  });
}

/** The upload process's CPU time, and as a share of its wall time (1.0 = one core busy). */
function cpu(r: { seconds: number; cpuS: number }): string {
  return `CPU ${r.cpuS.toFixed(1)} s = ${(r.cpuS / r.seconds).toFixed(2)} cores`;
}

async function emptyBucket(gw: Gw): Promise<void> {
  const c = client(gw, 16);
  for (;;) {
    const l = await c.send(new ListObjectsV2Command({ Bucket: gw.bucket }));
    const keys = (l.Contents ?? []).map((o) => o.Key as string);
    if (keys.length === 0) break;
    await Promise.all(
      keys.map((Key) => c.send(new DeleteObjectCommand({ Bucket: gw.bucket, Key }))),
    );
  }
  c.destroy();
}

async function makeDataset(
  root: string,
  gib: number,
  fileMiB: number,
): Promise<{ dir: string; files: string[] }> {
  const dir = path.join(root, 'bench-dataset');
  await mkdir(path.join(dir, 'image.ome.zarr', '0'), { recursive: true });
  const total = Math.round(gib * 1024 * MIB);
  const files: string[] = [];
  const buf = Buffer.allocUnsafe(16 * MIB);
  const { createHash } = await import('node:crypto');
  const lines: string[] = [];
  for (let i = 0, left = total; left > 0; i++) {
    const rel = `image.ome.zarr/0/${i}.0.0`;
    const size = Math.min(left, fileMiB * MIB);
    const fh = await open(path.join(dir, rel), 'w');
    const h = createHash('sha256');
    for (let off = 0; off < size; off += buf.length) {
      const chunk = buf.subarray(0, Math.min(buf.length, size - off));
      randomFillSync(chunk);
      h.update(chunk);
      await fh.write(chunk);
    }
    await fh.close();
    lines.push(`${h.digest('hex')}  ${rel}`);
    files.push(rel);
    left -= size;
  }
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path.join(dir, 'manifest.sha256'), `${lines.sort().join('\n')}\n`);
  return { dir, files };
}

async function main(): Promise<void> {
  // The SDK's Node-version notice (see s3-client.ts) would interleave with the figures.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return child(JSON.parse(argv[1] as string) as Job);
  const flag = (name: string, dflt: number) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : dflt;
  };
  const gib = flag('gib', 4);
  const kills = flag('kills', 5);
  const partMiB = flag('part-mib', DEFAULT_PART_MIB);
  const fileMiB = flag('file-mib', 512);
  const run = promisify(execFile);
  if (!process.env.S3_ENDPOINT) console.log('starting a bluestore Ceph RGW …');
  const { dir: gwDir, ...s3 } = await openGateway({
    env: { CEPH_RGW_OBJECTSTORE: 'bluestore' },
    timeoutMs: 300_000,
  });
  if (gwDir && !argv.includes('--shared') && os.availableParallelism() >= 2) {
    const pids = (await readFile(path.join(gwDir, 'pids'), 'utf8'))
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[1])
      .filter((pid): pid is string => Boolean(pid));
    for (const pid of pids) await run('taskset', ['-a', '-p', '-c', '0', pid]);
    clientCpus = '1';
    console.log(`pinned: gateway daemons (${pids.length}) on CPU 0, upload processes on CPU 1`);
  }
  if (!clientCpus) console.log('shared CPUs: gateway and upload processes on every core');
  const gw: Gw = { ...s3, bucket: `aquila-bench-${process.pid}` };
  // Deleted objects only go to RGW's garbage collector (after hours by default): on our own
  // cluster, collect them at once, or the OSD's store fills up over the runs and stalls.
  const reclaim = async () => {
    await emptyBucket(gw);
    if (gwDir)
      await run(
        'radosgw-admin',
        ['-c', path.join(gwDir, 'ceph.conf'), 'gc', 'process', '--include-all'],
        {
          timeout: 300_000,
        },
      );
  };
  const tmp = await mkdtemp(path.join(tmpdir(), 'aquila-bench-upload-'));
  try {
    const c = client(gw, 4);
    await c.send(new CreateBucketCommand({ Bucket: gw.bucket }));
    c.destroy();
    console.log(`writing a ${gib} GiB dataset (files of ${fileMiB} MiB) …`);
    const { dir, files } = await makeDataset(tmp, gib, fileMiB);
    const bytes = Math.round(gib * 1024 * MIB);
    const mbps = (s: number) => bytes / 1e6 / s;
    const base = { gw, dataset: dir, files, partMiB };
    let best = { name: '', mbps: 0, concurrency: 8 };
    let aq = { mbps: 0, maxRssMiB: 0, seconds: 0, concurrency: 8 };
    // Two rounds, alternating baselines and Aquila, best of each: the gateway shares the
    // machine, so single runs are noisy.
    for (let round = 1; round <= 2; round++) {
      for (const [mode, concurrency] of [
        ['multipart', 4],
        ['multipart', 8],
        ['put', 2],
        ['put', 4],
        ['put', 8],
      ] as const) {
        const r = await runChild({ ...base, mode, concurrency });
        await reclaim();
        if (r === 'killed') throw new Error('baseline killed');
        const rate = mbps(r.seconds);
        console.log(
          `round ${round} baseline ${mode} ×${concurrency}: ${rate.toFixed(0)} MB/s, ${cpu(r)}`,
        );
        if (rate > best.mbps) best = { name: `${mode} ×${concurrency}`, mbps: rate, concurrency };
      }
      for (const concurrency of [4, 8]) {
        const journalDir = path.join(tmp, `j-${round}-${concurrency}`);
        const r = await runChild({ ...base, mode: 'aquila', concurrency, journalDir });
        await reclaim();
        if (r === 'killed') throw new Error('aquila killed');
        const rate = mbps(r.seconds);
        console.log(
          `round ${round} aquila ×${concurrency}: ${rate.toFixed(0)} MB/s, peak RSS ${r.maxRssMiB.toFixed(0)} MiB, ${cpu(r)}`,
        );
        if (rate > aq.mbps)
          aq = {
            mbps: rate,
            maxRssMiB: Math.max(aq.maxRssMiB, r.maxRssMiB),
            seconds: r.seconds,
            concurrency,
          };
        else aq.maxRssMiB = Math.max(aq.maxRssMiB, r.maxRssMiB);
      }
    }
    const aqRate = aq.mbps;
    // Resume overhead: kill -9 at spread-out moments, then finish; count re-sent parts.
    const trace = path.join(tmp, 'trace.txt');
    const job = {
      ...base,
      mode: 'aquila' as const,
      concurrency: aq.concurrency,
      journalDir: path.join(tmp, 'resume'),
      trace,
    };
    let killed = 0;
    for (let k = 0; k < kills; k++) {
      const r = await runChild(job, (aq.seconds * 1_000) / (kills + 1));
      if (r === 'killed') killed++;
    }
    await runChild(job);
    const sends = (await readFile(trace, 'utf8')).split('\n').filter(Boolean);
    const resent = sends.length - new Set(sends).size;
    await reclaim();
    console.log('');
    console.log(
      `ratio aquila / best baseline (${best.name}): ${(aqRate / best.mbps).toFixed(2)}  (goal ≥ 0.9)`,
    );
    console.log(`peak RSS (any Aquila run): ${aq.maxRssMiB.toFixed(0)} MiB  (goal ≤ 512)`);
    console.log(
      `resume: ${killed} kill -9 with ${aq.concurrency} requests in flight, ${resent} parts re-sent = ${(resent / Math.max(1, killed)).toFixed(1)} per interruption  (goal ≤ 1)`,
    );
  } finally {
    await rm(tmp, { recursive: true, force: true });
    if (gwDir) await stopCluster(gwDir);
  }
}

await main();
