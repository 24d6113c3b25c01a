/**
 * Issue #16 §2 end to end on the host: a run acquired on the simulated microscope is archived
 * (auto-enqueue, filesystem target), the verified dataset submits its analysis job to a real
 * single-node SLURM cluster, clients see the job in state patches, and `aquila analysis
 * status|cancel|submit` drive it over HTTP.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisView } from '../../../electron/api/contract';
import { runCli } from '../../../electron/cli/main';
import {
  smallSimConfig,
  startTestHost,
  TestClient,
  type HostFixture,
} from '../../support/host-fixture';
import { slurmUnavailable, startSlurm, type SlurmCluster } from '../../support/slurm';
import { tempDir } from '../../support/temp-dir';

const why = slurmUnavailable();
if (why) console.warn(`SKIPPED host analysis tests: ${why}`);

describe.skipIf(why)('analysis hand-off through the host', () => {
  let slurm: SlurmCluster;
  let fx: HostFixture;
  let client: TestClient;
  let archive: string;
  let out: string;
  const env = { url: process.env.AQUILA_URL, token: process.env.AQUILA_TOKEN };

  beforeAll(async () => {
    slurm = await startSlurm();
    const tmp = tempDir('aq-han-');
    archive = path.join(tmp, 'archive');
    out = path.join(tmp, 'out');
    mkdirSync(archive);
    mkdirSync(out);
    process.env.AQUILA_HOME = path.join(tmp, 'home'); // the analysis journal lives there
    fx = await startTestHost(
      smallSimConfig({
        storage: { datasetsRoot: path.join(tmp, 'data') },
        upload: {
          targets: [{ name: 'cephfs', kind: 'filesystem', path: archive, autoEnqueue: true }],
          journalDir: path.join(tmp, 'journal'),
        },
        analysis: {
          pollIntervalS: 0.2,
          jobs: [
            {
              name: 'count',
              script:
                '#!/bin/bash\nset -eu\ncd {{cephfsPath}}\nsha256sum -c --quiet manifest.sha256\necho frames {{run.frames}} channels {{run.channels}}\nif [ -e {{cephfsPath}}.slow ]; then sleep 60; fi\n',
              outputDir: out,
              sbatch: { time: '5' },
              submit: { kind: 'local', env: { SLURM_CONF: slurm.conf } },
            },
          ],
        },
      }),
    );
    client = await TestClient.connect(fx);
    process.env.AQUILA_URL = `http://127.0.0.1:${fx.server.port}`;
    process.env.AQUILA_TOKEN = fx.token;
  }, 90_000);

  afterAll(async () => {
    client?.close();
    await fx?.close();
    await slurm?.stop();
    delete process.env.AQUILA_HOME;
    if (env.url === undefined) delete process.env.AQUILA_URL;
    else process.env.AQUILA_URL = env.url;
    if (env.token === undefined) delete process.env.AQUILA_TOKEN;
    else process.env.AQUILA_TOKEN = env.token;
  }, 60_000);

  const job = (): AnalysisView | undefined => fx.host.store.state.analysis?.[0];

  async function cli(...argv: string[]) {
    const lines: string[] = [];
    const errs: string[] = [];
    const code = await runCli(argv, { out: (l) => lines.push(l), err: (l) => errs.push(l) });
    return { code, lines, errs };
  }

  it('a finished run is archived, its analysis runs on SLURM, and COMPLETED reaches clients and the CLI', async () => {
    await client.call('run.start', {
      plan: { channels: [{ config: 'GFP', exposure: 2 }], time_plan: { interval: 0, loops: 2 } },
      name: 'tl',
    });
    await fx.host.acquisition.whenIdle();
    await client
      .until(() => ['completed', 'failed'].includes(job()?.state ?? ''), 30_000, 'analysis end')
      .catch((err: Error) => {
        const { uploads, analysis } = fx.host.store.state;
        throw new Error(`${err.message}: ${JSON.stringify({ uploads, analysis })}`);
      });
    const v = job()!;
    const a = v.attempts[0]!;
    expect(v.state, v.reason ?? '').toBe('completed');
    expect(v).toMatchObject({ datasetName: 'tl', target: 'cephfs', where: 'this machine' });
    expect(readFileSync(a.outputFile!, 'utf8')).toBe('frames 2 channels GFP\n');
    // clients got it as state patches
    const patched = client.messages.some(
      (m) => m.type === 'patch' && JSON.stringify(m).includes('"COMPLETED"'),
    );
    expect(patched).toBe(true);

    await client.call('control.release', {}); // the CLI is another client
    const st = await cli('analysis', 'status', 'tl');
    expect(st.code, st.errs.join('\n')).toBe(0);
    expect(st.lines).toEqual([
      `tl count: completed, job ${a.jobId} COMPLETED, exit code 0, output ${a.outputFile}`,
    ]);
    const noTarget = await cli('analysis', 'submit', 'tl', '--target', 'nope');
    expect(noTarget.errs).toEqual(['E_INVALID: "nope" is not a configured upload target']);
    const bad = await cli('analysis', 'status', '../etc');
    expect(bad.code).toBe(1);
    expect(bad.errs[0]).toMatch(/^E_INVALID: "\.\.\/etc" is not a dataset folder inside /);
  }, 90_000);

  it('submit runs it again as a new attempt; cancel ends it with scancel', async () => {
    writeFileSync(path.join(archive, 'tl.slow'), ''); // the job script then sleeps
    {
      const sub = await cli('analysis', 'submit', 'tl');
      expect(sub.code, sub.errs.join('\n')).toBe(0);
      await client.until(() => job()?.attempts[1]?.slurmState === 'RUNNING', 20_000, 'running');
      const cancelled = await cli('analysis', 'cancel', 'tl', '--json');
      expect(cancelled.code, cancelled.errs.join('\n')).toBe(0);
      const [v] = JSON.parse(cancelled.lines[0]!) as AnalysisView[];
      expect(v).toMatchObject({ state: 'cancelled', reason: 'cancelled by request' });
      const id = v!.attempts[1]!.jobId!;
      const end = Date.now() + 20_000;
      let state = '';
      while (Date.now() < end && state !== 'CANCELLED') {
        state = /JobState=(\S+)/.exec(slurm.cmd(['scontrol', 'show', 'job', '-o', id]))?.[1] ?? '';
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(state).toBe('CANCELLED');
    }
  }, 60_000);
});

describe('analysis commands without an analysis section', () => {
  it('answer E_STATE naming the missing config section', async () => {
    const fx = await startTestHost(smallSimConfig());
    try {
      const r = await fx.host.call(
        'analysis.status',
        { dataset: 'x' },
        {
          clientId: 'test',
          transport: 'internal',
        },
      );
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('E_STATE');
        expect(r.error.message).toMatch(/add an "analysis" section/);
      }
      expect(fx.host.store.state.analysis).toBeUndefined();
    } finally {
      await fx.close();
    }
  });
});
