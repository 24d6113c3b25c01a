/** Issue #18 §8: failed and empty datasets are not archived (refused before the queue). */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { DatasetEntry } from '../../../electron/api/contract';
import { parseConfig } from '../../../electron/config/load';
import type { CallContext } from '../../../electron/host/command-handlers';
import { createHost, type Host } from '../../../electron/host/host';
import { smallSimConfig } from '../../support/host-fixture';
import { tempDir } from '../../support/temp-dir';

const ctx: CallContext = { clientId: 'archive-test', transport: 'internal' };
let host: Host;

beforeEach(async () => {
  const config = smallSimConfig({ storage: { datasetsRoot: tempDir('aquila-archive-') } });
  host = await createHost(
    { path: '/test/archive.json', config: parseConfig(JSON.stringify(config), 'test') },
    { log: { log: () => undefined } },
  );
});
afterEach(async () => {
  await host.shutdown('test end');
});

const entry = (name: string, over: Partial<DatasetEntry>): DatasetEntry => ({
  name,
  dir: `/data/${name}`,
  outcome: 'complete',
  startedAt: null,
  framesWritten: 4,
  closed: true,
  ...over,
});

it('refuses failed and empty datasets by name, and passes others on to the queue', async () => {
  host.store.update((s) => {
    s.datasets = [
      entry('broken', { outcome: 'failed' }),
      entry('empty', { framesWritten: 0 }),
      entry('good', {}),
    ];
  });
  const enqueue = (dataset: string) =>
    host.call('upload.enqueue', { dataset, target: 'archive' }, ctx);
  expect(await enqueue('broken')).toMatchObject({
    ok: false,
    error: { code: 'E_STATE', message: 'Dataset broken is failed: it is not archived' },
  });
  expect(await enqueue('empty')).toMatchObject({
    ok: false,
    error: { code: 'E_STATE', message: 'Dataset empty is empty (no frames): it is not archived' },
  });
  // Past the rule (this host has no upload targets: the queue says so).
  const good = await enqueue('good');
  expect(good.ok).toBe(false);
  if (!good.ok) expect(good.error.message).not.toMatch(/not archived/);
});
