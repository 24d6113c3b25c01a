/** The Data tab's analysis column (issue #16 §2): job state, SLURM job, exit code, output file. */
import { describe, expect, it } from 'vitest';
import type { AnalysisView, AppState } from '../../../electron/api/contract';
import { describeSlurm } from '../../../renderer/ui/analysis-jobs';
import { sampleState } from '../state/sample-state';
import { render, textOf } from './render-app';

const view = (over: Partial<AnalysisView>): AnalysisView => ({
  id: 'abc-segment',
  job: 'segment',
  dataset: '/data/r1',
  datasetName: 'r1',
  target: 'cephfs',
  manifestDigest: 'ab'.repeat(32),
  state: 'completed',
  reason: null,
  where: 'ada@login1:22',
  maxAttempts: 2,
  attempts: [
    {
      n: 1,
      slurmName: 'aquila-segment-abababababababab-1',
      startedAt: 1,
      jobId: '41',
      slurmState: 'COMPLETED',
      exitCode: 0,
      signal: null,
      outputFile: '/scratch/out/aquila-segment-41.out',
      endedAt: 2,
    },
  ],
  updatedAt: 2,
  ...over,
});

function state(analysis: AnalysisView[]): AppState {
  return {
    ...sampleState(),
    datasets: [
      {
        name: 'r1',
        dir: '/data/r1',
        outcome: 'complete',
        startedAt: null,
        framesWritten: 4,
        closed: true,
      },
    ],
    analysis,
  };
}

describe('analysis jobs in the Data tab', () => {
  it('shows a completed job with its SLURM job, exit code and output file', () => {
    const html = render(state([view({})]));
    expect(textOf(html, 'analysis-r1-segment-state')).toBe('completed');
    expect(textOf(html, 'analysis-r1-segment-slurm')).toBe('job 41 COMPLETED · exit 0');
    expect(textOf(html, 'analysis-r1-segment-output')).toBe('/scratch/out/aquila-segment-41.out');
    expect(textOf(html, 'analysis-r1-segment-submit')).toBe('Resubmit');
  });

  it('shows FAILED with the exit code and reason, and a running job can be cancelled', () => {
    const failed = view({
      state: 'failed',
      reason: 'job 42 FAILED, exit code 3',
      attempts: [
        view({}).attempts[0]!,
        { ...view({}).attempts[0]!, n: 2, jobId: '42', slurmState: 'FAILED', exitCode: 3 },
      ],
    });
    const html = render(state([failed]));
    expect(textOf(html, 'analysis-r1-segment-state')).toBe('failed');
    expect(textOf(html, 'analysis-r1-segment-slurm')).toBe('job 42 FAILED · exit 3 · attempt 2/2');
    expect(html).toContain('job 42 FAILED, exit code 3');
    const running = view({
      state: 'submitted',
      attempts: [
        { ...view({}).attempts[0]!, slurmState: 'RUNNING', exitCode: null, outputFile: null },
      ],
    });
    const h2 = render(state([running]));
    expect(textOf(h2, 'analysis-r1-segment-cancel')).toBe('Cancel');
    expect(h2).not.toContain('analysis-r1-segment-output');
  });

  it('shows nothing for a dataset without analysis, and tolerates hosts without the field', () => {
    expect(render(state([]))).not.toContain('analysis-r1');
    const { analysis: _a, ...old } = state([]);
    expect(render(old as AppState)).toContain('dataset-r1');
    expect(describeSlurm(view({ state: 'queued', attempts: [] }))).toBe('not submitted yet');
  });
});
