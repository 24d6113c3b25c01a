/** Archiving through the API: a finished run is queued automatically and copied to a filesystem target. */
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  smallSimConfig,
  startTestHost,
  TestClient,
  type HostFixture,
} from '../../support/host-fixture';
import { tempDir } from '../../support/temp-dir';
import { readDatasetManifest } from '../../../electron/upload/manifest';
import { makeDataset } from '../upload/dataset-fixture';

let fx: HostFixture;
let client: TestClient;
let root: string;
let archive: string;

beforeEach(async () => {
  const tmp = tempDir('aquila-up-');
  root = path.join(tmp, 'data');
  archive = path.join(tmp, 'archive');
  mkdirSync(archive); // a mounted CephFS path exists before Aquila writes to it
  fx = await startTestHost(
    smallSimConfig({
      storage: { datasetsRoot: root },
      upload: {
        targets: [{ name: 'cephfs', kind: 'filesystem', path: archive, autoEnqueue: true }],
        journalDir: path.join(tmp, 'journal'),
      },
    }),
  );
  client = await TestClient.connect(fx);
});

afterEach(async () => {
  client.close();
  await fx.close();
});

describe('upload via the API', () => {
  it('queues a finished run on auto-enqueue targets and verifies the copy', async () => {
    expect(fx.host.store.state.storage).toMatchObject({
      datasetsRoot: root,
      uploadTargets: ['cephfs'],
    });
    expect(fx.host.store.state.storage.freeBytes).toBeGreaterThan(0);
    await client.call('run.start', {
      plan: { channels: [{ config: 'GFP', exposure: 2 }], time_plan: { interval: 0, loops: 2 } },
      name: 'tl',
    });
    await fx.host.acquisition.whenIdle();
    await client.until(() => fx.host.store.state.uploads.length === 1, 10_000, 'auto-enqueue');
    await fx.host.uploads.whenIdle();
    await client.until(
      () => ['done', 'failed'].includes(fx.host.store.state.uploads[0]?.state ?? ''),
      20_000,
      'upload end',
    );
    const up = fx.host.store.state.uploads[0]!;
    expect(up.reason ?? '').toBe('');
    expect(up).toMatchObject({ dataset: path.join(root, 'tl'), target: 'cephfs', state: 'done' });
    expect(up.bytesDone).toBe(up.bytesTotal);
    const copied = readdirSync(archive, { recursive: true }).map(String);
    expect(copied.some((f) => f.endsWith('manifest.sha256'))).toBe(true);
    expect(existsSync(path.join(root, 'tl', 'manifest.sha256'))).toBe(true); // local data kept
  }, 60_000);

  it('only queues datasets inside the datasets folder, on known targets', async () => {
    expect(
      await client.call('upload.enqueue', { dataset: '../../etc', target: 'cephfs' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'E_INVALID', message: expect.stringMatching(/not a dataset folder inside/) },
    });
    expect(
      await client.call('upload.enqueue', { dataset: '/etc/ssh', target: 'cephfs' }),
    ).toMatchObject({ ok: false, error: { code: 'E_INVALID' } });
    expect(await client.call('upload.pause', { id: 'nope' })).toMatchObject({ ok: false });
  });

  it('answers an upload refused for the dataset over HTTP with 422, not 500', async () => {
    mkdirSync(path.join(root, 'unfinished'), { recursive: true });
    const r = await fetch(`${fx.server.url}api/commands/upload.enqueue`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fx.token}` },
      body: JSON.stringify({ dataset: 'unfinished', target: 'cephfs' }),
    });
    expect(r.status).toBe(422);
    expect(await r.json()).toMatchObject({
      ok: false,
      error: { code: 'E_UPLOAD', message: expect.stringMatching(/has no manifest\.sha256/) },
    });
  });
});

describe('without upload targets', () => {
  it('upload commands say how to configure one', async () => {
    const plain = await startTestHost(
      smallSimConfig({
        storage: { datasetsRoot: tempDir('aquila-up-') },
      }),
    );
    const c = await TestClient.connect(plain);
    expect(await c.call('upload.enqueue', { dataset: 'x', target: 'y' })).toMatchObject({
      ok: false,
      error: { code: 'E_STATE', message: expect.stringMatching(/No upload targets/) },
    });
    c.close();
    await plain.close();
  });

  it('refuses a dataset folder that links out of the datasets folder, and files that link out of their dataset', async () => {
    const outside = tempDir('aquila-up-outside-');
    const elsewhere = await makeDataset(outside, 'elsewhere', [{ rel: 'a.bin', sizeBytes: 10 }]);
    mkdirSync(root, { recursive: true });
    symlinkSync(elsewhere, path.join(root, 'linked'));
    expect(
      await client.call('upload.enqueue', { dataset: 'linked', target: 'cephfs' }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'E_INVALID',
        message: expect.stringMatching(/is a link to .*outside the datasets folder/),
      },
    });
    await expect(readDatasetManifest(path.join(root, 'linked'))).rejects.toThrow(
      /is a symbolic link/,
    );

    const inner = await makeDataset(root, 'inner', [{ rel: 'a.bin', sizeBytes: 10 }]);
    rmSync(path.join(inner, 'a.bin'));
    symlinkSync(path.join(elsewhere, 'a.bin'), path.join(inner, 'a.bin'));
    const refused = await client.call('upload.enqueue', { dataset: 'inner', target: 'cephfs' });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'E_UPLOAD',
        message: expect.stringMatching(/"a\.bin" is a link to .*outside the dataset folder/),
      },
    });
    expect(fx.host.store.state.uploads).toEqual([]);
  });
});
