/**
 * A real Ceph RGW for the upload tests: reuses the test run's shared cluster
 * (test/support/ceph-global-setup.ts) or the one named by S3_ENDPOINT (unless `own`), else
 * starts a throwaway cluster with test/support/ceph-rgw.sh and stops it afterwards.
 * `stopGateway`/`startGateway` stop and restart only the radosgw daemon of a cluster this
 * process started, so a shared gateway is never disturbed.
 */
import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { openGateway, stopCluster, type GatewayEnv } from '../../support/ceph-gateway';

/** `dir` is set when this process started the cluster (only then can it be stopped/restarted). */
export interface Rgw extends GatewayEnv {
  client: S3Client;
}

export async function startRgw(own = false): Promise<Rgw> {
  const shared = own ? null : inject('cephGateway');
  const rgw: GatewayEnv = shared
    ? { ...shared, dir: undefined }
    : await openGateway({ own, timeoutMs: 180_000 });
  const client = new S3Client({
    endpoint: rgw.endpoint,
    region: rgw.region,
    forcePathStyle: true,
    credentials: { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return { ...rgw, client };
}

export async function stopRgw(rgw: Rgw | undefined): Promise<void> {
  rgw?.client.destroy();
  if (rgw?.dir) await stopCluster(rgw.dir);
}

async function rgwPid(dir: string): Promise<number | undefined> {
  const pids = await readFile(path.join(dir, 'pids'), 'utf8');
  const lines = pids
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('rgw '));
  const last = lines.at(-1);
  return last ? Number(last.split(' ')[1]) : undefined;
}

/** Stops only radosgw (SIGKILL); the mon and OSD keep running. */
export async function stopGateway(rgw: Rgw): Promise<void> {
  if (!rgw.dir) throw new Error('the gateway was not started by this test run');
  const pid = await rgwPid(rgw.dir);
  if (pid) process.kill(pid, 'SIGKILL');
}

/** Starts radosgw again on the same port, as ceph-rgw.sh did; records its pid for `ceph-rgw.sh stop`. */
export async function startGateway(rgw: Rgw): Promise<void> {
  if (!rgw.dir) throw new Error('the gateway was not started by this test run');
  // detached: the child calls setsid() itself, so child.pid is radosgw's (a `setsid` binary
  // would fork when it is already a group leader, and the recorded pid would be wrong)
  const child = spawn(
    'radosgw',
    ['-c', path.join(rgw.dir, 'ceph.conf'), '-f', '-n', 'client.rgw.s3'],
    { stdio: 'ignore', detached: true },
  );
  child.unref();
  await appendFile(path.join(rgw.dir, 'pids'), `rgw ${child.pid}\n`);
}

export async function createBucket(rgw: Rgw, bucket: string): Promise<void> {
  await rgw.client.send(new CreateBucketCommand({ Bucket: bucket }));
}

export async function emptyAndDeleteBucket(rgw: Rgw, bucket: string): Promise<void> {
  const list = await rgw.client.send(new ListObjectsV2Command({ Bucket: bucket }));
  for (const o of list.Contents ?? [])
    if (o.Key) await rgw.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key }));
  await rgw.client.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
}

/** sha256 of the object's bytes as the gateway serves them. */
export async function remoteSha256(rgw: Rgw, bucket: string, key: string): Promise<string> {
  const r = await rgw.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const h = createHash('sha256');
  for await (const chunk of r.Body as AsyncIterable<Uint8Array>) h.update(chunk);
  return h.digest('hex');
}

/**
 * Registers beforeAll/afterAll for a test file: a gateway (shared unless `own`), a fresh
 * bucket `<name>-<pid>` and a scratch folder; all removed afterwards. Read the fields inside
 * tests (they are set once beforeAll has run).
 */
export function useRgwBucket(
  name: string,
  own = false,
): { readonly rgw: Rgw; readonly tmp: string; readonly bucket: string } {
  let rgw: Rgw | undefined;
  let tmp = '';
  const bucket = `${name}-${process.pid}`;
  beforeAll(async () => {
    rgw = await startRgw(own);
    tmp = await mkdtemp(path.join(tmpdir(), `aquila-${name}-`));
    await createBucket(rgw, bucket);
  }, 180_000);
  afterAll(async () => {
    if (rgw) await emptyAndDeleteBucket(rgw, bucket).catch(() => undefined);
    await stopRgw(rgw);
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }, 60_000);
  return {
    get rgw() {
      if (!rgw) throw new Error('the gateway is not started yet (use it inside a test)');
      return rgw;
    },
    get tmp() {
      return tmp;
    },
    bucket,
  };
}
