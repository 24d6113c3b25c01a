/** The analysis queue's bookkeeping without a cluster (the queue is never started here). */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { uploadConfig } from '../../../electron/upload/config';
import { tempDir } from '../../support/temp-dir';
import { closedDataset, openAnalysis } from './fixture';

describe('AnalysisQueue bookkeeping', () => {
  it('queues a job only for its targets, once per dataset content, and journals it durably', async () => {
    const root = tempDir('aq-anq-');
    const upload = uploadConfig.parse({
      targets: [
        { name: 'a', kind: 'filesystem', path: path.join(root, 'a') },
        { name: 'b', kind: 'filesystem', path: path.join(root, 'b') },
      ],
    });
    const config = {
      jobs: [
        {
          name: 'only-a',
          targets: ['a'],
          script: 'true {{dataset}}',
          outputDir: root,
          submit: { kind: 'local' as const },
        },
      ],
    };
    const journalDir = path.join(root, 'journal');
    const dir = await closedDataset(path.join(root, 'data'), 'ds', 1);
    const q = openAnalysis(config, { upload, journalDir });
    expect(await q.datasetVerified(dir, 'b')).toEqual([]);
    const [v] = await q.datasetVerified(dir, 'a');
    expect(v).toMatchObject({ job: 'only-a', target: 'a', state: 'queued', attempts: [] });
    expect(v!.id).toBe(`${v!.manifestDigest.slice(0, 16)}-only-a`);
    // verified again (e.g. retried upload): the same record, not a second job
    expect((await q.datasetVerified(dir, 'a')).map((x) => x.id)).toEqual([v!.id]);
    expect(readdirSync(journalDir)).toEqual([`${v!.id}.json`]);
    await expect(q.submit(dir, 'nope')).rejects.toThrow('"nope" is not a configured upload target');
    await expect(q.submit(dir, 'b')).rejects.toThrow(
      'analysis.submit: no analysis job runs for target "b" (jobs: only-a → a)',
    );
    await q.close();

    const reopened = openAnalysis(config, { upload, journalDir });
    expect(reopened.snapshot()).toEqual([v]);
    // a snapshot is a copy: changing it does not change the queue
    reopened.snapshot()[0]!.state = 'failed';
    expect(reopened.snapshot()[0]!.state).toBe('queued');
    await reopened.close();
  });
});
