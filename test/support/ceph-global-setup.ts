/**
 * vitest globalSetup of the "s3" project (vitest.config.ts): one throwaway Ceph cluster
 * (ceph-rgw.sh) for all the upload test files that share a gateway, instead of one per file.
 * Its settings reach the test files as `inject('cephGateway')` (test/electron/upload/rgw.ts);
 * it is stopped after the last file. With S3_ENDPOINT set, that gateway is used and nothing
 * is started. Files that stop and restart radosgw still start a cluster of their own.
 */
import type { TestProject } from 'vitest/node';
import { openGateway, stopCluster, type GatewayEnv } from './ceph-gateway';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's shared cluster; its `dir` is withheld so no test file stops it. */
    cephGateway: Omit<GatewayEnv, 'dir'> | null;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  if (process.env.S3_ENDPOINT) {
    project.provide('cephGateway', null);
    return;
  }
  const { dir, ...gateway } = await openGateway({ timeoutMs: 180_000 });
  project.provide('cephGateway', gateway);
  return async () => {
    if (dir) await stopCluster(dir);
  };
}
