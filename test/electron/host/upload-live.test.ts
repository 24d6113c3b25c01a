/**
 * Live archiving through the host: a target with `archive: "live"` gets a job when the run
 * starts, every chunk the writer thread finishes is journaled as final (writer → pipeline →
 * acquisition service → upload service → queue), and the archive is verified after the run.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { JournalRecord } from '../../../electron/upload/journal';
import {
  smallSimConfig,
  startTestHost,
  TestClient,
  type HostFixture,
} from '../../support/host-fixture';
import { tempDir } from '../../support/temp-dir';

let fx: HostFixture;
let client: TestClient;
let root: string;
let archive: string;
let journal: string;
const verified: unknown[] = [];

beforeEach(async () => {
  const tmp = tempDir('aquila-up-live-');
  root = path.join(tmp, 'data');
  archive = path.join(tmp, 'archive');
  journal = path.join(tmp, 'journal');
  mkdirSync(archive);
  fx = await startTestHost(
    smallSimConfig({
      storage: { datasetsRoot: root },
      upload: {
        targets: [{ name: 'cephfs', kind: 'filesystem', path: archive, archive: 'live' }],
        journalDir: journal,
      },
    }),
  );
  fx.host.uploads.onVerified((e) => verified.push(e));
  client = await TestClient.connect(fx);
});

afterEach(async () => {
  client.close();
  await fx.close();
});

it('queues the run when it starts, journals each finished chunk as final, verifies the archive', async () => {
  await client.call('run.start', {
    plan: { channels: [{ config: 'GFP', exposure: 2 }], time_plan: { interval: 0, loops: 4 } },
    name: 'live',
  });
  await fx.host.acquisition.whenIdle();
  await client.until(
    () => fx.host.store.state.uploads[0]?.state === 'done',
    20_000,
    'the live upload to finish',
  );
  const records = readFileSync(path.join(journal, 'upload-journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as JournalRecord);
  expect(records[0]).toMatchObject({ t: 'job', live: true, dataset: path.join(root, 'live') });
  const finals = records.filter((r) => r.t === 'final').map((r) => (r as { rel: string }).rel);
  expect(finals).toHaveLength(4); // one per chunk: 4 time points × 1 channel × 1 plane
  for (const rel of finals) expect(rel).toMatch(/^live\.ome\.zarr\//);
  const manifest = readFileSync(path.join(root, 'live', 'manifest.sha256'), 'utf8');
  for (const r of records.filter((x) => x.t === 'final'))
    expect(manifest).toContain(
      `${(r as { sha256: string }).sha256}  ${(r as { rel: string }).rel}`,
    );
  const copied = readdirSync(path.join(archive, 'live'), { recursive: true }).map(String);
  expect(copied).toContain('manifest.sha256');
  expect(verified).toMatchObject([{ dataset: path.join(root, 'live'), target: 'cephfs' }]);
}, 60_000);
