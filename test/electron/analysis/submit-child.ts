/**
 * A host stand-in for the crash test: hands one verified dataset to an analysis queue and
 * SIGKILLs itself right after `sbatch` answered, before the job id reaches the journal. The
 * job id is written to `marker` first. argv[2] is JSON: { analysis, upload, journalDir,
 * dataset, target, marker }.
 */
import { writeFileSync } from 'node:fs';
import { analysisConfig } from '../../../electron/analysis/config';
import { AnalysisQueue } from '../../../electron/analysis/queue';
import { uploadConfig } from '../../../electron/upload/config';

const args = JSON.parse(process.argv[2] ?? '{}') as {
  analysis: unknown;
  upload: unknown;
  journalDir: string;
  dataset: string;
  target: string;
  marker: string;
};
const queue = AnalysisQueue.open({
  config: analysisConfig.parse(args.analysis),
  upload: uploadConfig.parse(args.upload),
  journalDir: args.journalDir,
  afterSbatch: async (jobId) => {
    writeFileSync(args.marker, jobId);
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => undefined);
  },
});
await queue.datasetVerified(args.dataset, args.target);
queue.start();
