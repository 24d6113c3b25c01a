/**
 * `aquila upload DATASET --target NAME [--config CFG] [--journal DIR]` — archives one dataset
 * folder to a configured upload target, in this process, headless, until it is verified or
 * has failed. It uses the same durable journal as the host (default `~/.aquila/upload`, or
 * `upload.journalDir`), so an interrupted run (Ctrl-C, crash) resumes where it stopped; the
 * journal is locked while the host or another `aquila upload` uses it.
 * Exit codes: 0 verified, 1 failed (reason printed), 2 bad usage or configuration.
 */
import path from 'node:path';
import { ValidationError } from '../../../drivers/errors';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../../config/load';
import { UploadQueue } from '../../upload/queue';
import type { UploadStatus } from '../../upload/status';
import { flagString, parseArgs } from '../args';
import { sessionDir } from '../session-file';
import type { CliCommand, CliIo } from '../types';

const USAGE = 'aquila upload DATASET --target NAME [--config CFG] [--journal DIR]';

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export function describeStatus(s: UploadStatus): string {
  const name = path.basename(s.dataset);
  const pct = s.bytesTotal > 0 ? Math.floor((100 * s.bytesDone) / s.bytesTotal) : 0;
  const parts = [`${name} → ${s.target}: ${s.state}`];
  if (s.state === 'uploading' || s.state === 'verifying') {
    parts.push(`${pct}% of ${mb(s.bytesTotal)}`, `${mb(s.rateBytesPerS)}/s`);
    if (s.etaS !== null) parts.push(`ETA ${s.etaS} s`);
  }
  if (s.reason) parts.push(s.state === 'queued' ? `retry ${s.attempts}: ${s.reason}` : s.reason);
  return parts.join(', ');
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { values: ['target', 'config', 'journal'] });
  const [dataset, extra] = args.positionals;
  const target = flagString(args, 'target');
  if (!dataset || extra !== undefined || !target) throw new ValidationError(`usage: ${USAGE}`);
  const loaded = await loadConfig(flagString(args, 'config') ?? DEFAULT_CONFIG_PATH);
  const config = loaded.config.upload;
  if (!config)
    throw new ValidationError(
      `${loaded.path} has no "upload" section; add one with the target "${target}" (see docs/upload.md)`,
    );
  const journalDir =
    flagString(args, 'journal') ?? config.journalDir ?? path.join(sessionDir(), 'upload');
  const queue = await UploadQueue.open({
    config,
    journalDir,
    logger: { log: (level, m) => (level === 'debug' ? undefined : io.err(m)) },
  });
  const onSigint = () => void queue.close();
  process.once('SIGINT', onSigint);
  try {
    const id = await queue.enqueue(dataset, target);
    let lastLine = '';
    let lastAt = 0;
    queue.subscribe((snap) => {
      const s = snap.find((x) => x.id === id);
      if (!s) return;
      const line = describeStatus(s);
      const now = Date.now();
      if (line.split(',')[0] !== lastLine.split(',')[0] || now - lastAt > 2_000) {
        io.out(line);
        lastLine = line;
        lastAt = now;
      }
    });
    const s0 = queue.snapshot().find((x) => x.id === id);
    if (s0?.state === 'paused') await queue.resume(id);
    queue.start();
    await queue.whenIdle();
    const s = queue.snapshot().find((x) => x.id === id);
    if (!s) return 1;
    io.out(describeStatus(s));
    if (s.state === 'done') return 0;
    if (s.state === 'queued') io.err('interrupted; run the same command again to resume');
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    await queue.close();
  }
}

export const command: CliCommand = {
  name: 'upload',
  usage: USAGE,
  summary:
    'Archive a dataset folder to an upload target (S3/Ceph RGW or a file system); resumable, verified',
  run,
};
