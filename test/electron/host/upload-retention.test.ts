/**
 * The free-local-space policy through the host: at start (and hourly) a dataset is deleted
 * locally only when its copy on a target with `freeLocalAfterDays` was verified and is older
 * than that; unverified and younger datasets stay.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import {
  smallSimConfig,
  startTestHost,
  TestClient,
  type HostFixture,
} from '../../support/host-fixture';
import { tempDir } from '../../support/temp-dir';

const open: { fx: HostFixture; client: TestClient }[] = [];
afterEach(async () => {
  for (const { fx, client } of open.splice(0)) {
    client.close();
    await fx.close();
  }
});

async function start(config: object): Promise<{ fx: HostFixture; client: TestClient }> {
  const fx = await startTestHost(config);
  const client = await TestClient.connect(fx);
  open.push({ fx, client });
  return { fx, client };
}

it('frees verified datasets older than the target allows and keeps the rest', async () => {
  const tmp = tempDir('aquila-retain-');
  const root = path.join(tmp, 'data');
  for (const d of ['archive-now', 'archive-later']) mkdirSync(path.join(tmp, d));
  const config = smallSimConfig({
    storage: { datasetsRoot: root },
    upload: {
      targets: [
        // Free as soon as verified (0 days) vs only after a day.
        {
          name: 'now',
          kind: 'filesystem',
          path: path.join(tmp, 'archive-now'),
          freeLocalAfterDays: 0,
        },
        {
          name: 'later',
          kind: 'filesystem',
          path: path.join(tmp, 'archive-later'),
          freeLocalAfterDays: 1,
        },
      ],
      journalDir: path.join(tmp, 'journal'),
    },
  });

  const first = await start(config);
  const plan = { channels: [{ config: 'GFP', exposure: 2 }], time_plan: { interval: 0, loops: 2 } };
  for (const name of ['verified', 'young', 'local-only']) {
    expect(await first.client.call('run.start', { plan, name })).toMatchObject({ ok: true });
    await first.fx.host.acquisition.whenIdle();
  }
  for (const [dataset, target] of [
    ['verified', 'now'],
    ['young', 'later'],
  ])
    expect(await first.client.call('upload.enqueue', { dataset, target })).toMatchObject({
      ok: true,
    });
  await first.client.until(
    () =>
      first.fx.host.store.state.uploads.length === 2 &&
      first.fx.host.store.state.uploads.every((u) => u.state === 'done'),
    20_000,
    'both uploads verified',
  );
  // The policy already ran at this host's start, before anything was verified.
  for (const name of ['verified', 'young', 'local-only'])
    expect(existsSync(path.join(root, name)), name).toBe(true);
  const { fx, client } = open.pop()!;
  client.close();
  await fx.close();

  const second = await start(config);
  await second.client.until(
    () => !existsSync(path.join(root, 'verified')),
    10_000,
    'the verified dataset freed at start',
  );
  expect(existsSync(path.join(tmp, 'archive-now', 'verified', 'manifest.sha256'))).toBe(true);
  expect(existsSync(path.join(root, 'young', 'manifest.sha256'))).toBe(true); // copy < 1 day old
  expect(existsSync(path.join(root, 'local-only', 'manifest.sha256'))).toBe(true); // never uploaded
  await second.client.until(
    () => !second.fx.host.store.state.datasets.some((d) => d.name === 'verified'),
    5_000,
    'the dataset list drops the freed dataset',
  );
  expect(second.fx.host.store.state.datasets.map((d) => d.name).sort()).toEqual([
    'local-only',
    'young',
  ]);
}, 60_000);
