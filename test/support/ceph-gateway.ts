/**
 * A Ceph RGW for the upload tests and benches: the one named by S3_ENDPOINT, S3_ACCESS_KEY,
 * S3_SECRET_KEY (and S3_REGION), or a throwaway cluster started with ceph-rgw.sh; and the
 * S3 upload target "ceph" pointing at one of its buckets.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const gatewayScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'ceph-rgw.sh');

export interface GatewayEnv {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** The cluster's folder when it was started here (only then may it be stopped). */
  dir: string | undefined;
}

/**
 * The gateway of S3_ENDPOINT, else (or with `own`) a new cluster from `ceph-rgw.sh start`
 * run with `env` added to this process's environment (e.g. CEPH_RGW_OBJECTSTORE).
 */
export async function openGateway(o: {
  own?: boolean;
  env?: Record<string, string>;
  timeoutMs: number;
}): Promise<GatewayEnv> {
  let env: Record<string, string | undefined> = process.env;
  let dir: string | undefined;
  if (o.own || !process.env.S3_ENDPOINT) {
    const { stdout } = await run(gatewayScript, ['start'], {
      env: { ...process.env, ...o.env },
      timeout: o.timeoutMs,
      maxBuffer: 1 << 20,
    });
    env = {};
    for (const m of stdout.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1] as string] = m[2];
    dir = env.CEPH_RGW_DIR;
  }
  return {
    endpoint: env.S3_ENDPOINT as string,
    accessKeyId: env.S3_ACCESS_KEY as string,
    secretAccessKey: env.S3_SECRET_KEY as string,
    region: env.S3_REGION ?? 'us-east-1',
    dir,
  };
}

/** Stops a cluster `openGateway` started (`GatewayEnv.dir`). */
export async function stopCluster(dir: string): Promise<void> {
  await run(gatewayScript, ['stop', dir], { timeout: 60_000 });
}

/** The S3 upload target "ceph" on `bucket` of `gw`; `over` adds or replaces settings. */
export function cephTarget(
  gw: { endpoint: string; accessKeyId: string; secretAccessKey: string },
  bucket: string,
  over: Record<string, unknown> = {},
) {
  return {
    name: 'ceph',
    kind: 's3',
    endpoint: gw.endpoint,
    bucket,
    credentials: { accessKeyId: gw.accessKeyId, secretAccessKey: gw.secretAccessKey },
    ...over,
  };
}
