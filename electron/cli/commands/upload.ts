/**
 * `aquila upload DATASET --target NAME [--config CFG] [--journal DIR]` — archives one dataset
 * folder to a configured upload target, in this process, headless, until it is verified or
 * has failed. It uses the same durable journal as the host (default `~/.aquila/upload`, or
 * `upload.journalDir`; `--journal` wins over the config), so an interrupted or failed upload
 * resumes where it stopped, parts already on the gateway included; the journal is locked
 * while the host or another `aquila upload` uses it.
 * `aquila upload retry [DATASET] [--target NAME]` resumes failed uploads (all, or those named).
 * `aquila upload status [DATASET]` prints each upload's state; for a run being archived live,
 * acquired vs archived bytes and the archive lag. While a host holds the journal, it asks
 * the host.
 * Exit codes: 0 verified, 1 failed (reason printed), 2 bad usage or configuration.
 */
import path from 'node:path';
import { StateError, ValidationError } from '../../../drivers/errors';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../../config/load';
import type { UploadConfig } from '../../upload/config';
import { UploadQueue } from '../../upload/queue';
import type { UploadStatus } from '../../upload/status';
import { flagString, parseArgs, type ParsedArgs } from '../args';
import { findHost, requestHost } from '../host-client';
import { sessionDir } from '../session-file';
import type { CliCommand, CliIo } from '../types';

const USAGE =
  'aquila upload DATASET --target NAME [--config CFG] [--journal DIR] | aquila upload retry [DATASET] [--target NAME] | aquila upload status [DATASET]';

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export function describeStatus(s: UploadStatus): string {
  const name = path.basename(s.dataset);
  const pct = s.bytesTotal > 0 ? Math.floor((100 * s.bytesDone) / s.bytesTotal) : 0;
  const parts = [`${name} → ${s.target}: ${s.state}`];
  if (s.live)
    parts.push(
      `live: ${mb(s.live.archivedBytes)} archived of ${mb(s.live.acquiredBytes)} acquired`,
      `lag ${s.live.lagS.toFixed(0)} s`,
    );
  else if (s.state === 'uploading' || s.state === 'verifying') {
    parts.push(`${pct}% of ${mb(s.bytesTotal)}`, `${mb(s.rateBytesPerS)}/s`);
    if (s.etaS !== null) parts.push(`ETA ${s.etaS} s`);
  }
  if (s.bytesResent) parts.push(`${mb(s.bytesResent)} re-sent after interruptions`);
  if (s.reason) parts.push(s.state === 'queued' ? `retry ${s.attempts}: ${s.reason}` : s.reason);
  return parts.join(', ');
}

const flags = { values: ['target', 'config', 'journal'] };

async function openQueue(
  args: ParsedArgs,
  io: CliIo,
  target?: string,
): Promise<{ queue: UploadQueue; config: UploadConfig }> {
  const loaded = await loadConfig(flagString(args, 'config') ?? DEFAULT_CONFIG_PATH);
  const config = loaded.config.upload;
  if (!config)
    throw new ValidationError(
      `${loaded.path} has no "upload" section; add one${target ? ` with the target "${target}"` : ''} (see docs/upload.md)`,
    );
  const flag = flagString(args, 'journal');
  if (flag && config.journalDir && path.resolve(flag) !== path.resolve(config.journalDir))
    io.err(
      `using --journal ${flag} (the config's upload.journalDir ${config.journalDir} is not used)`,
    );
  const journalDir = flag ?? config.journalDir ?? path.join(sessionDir(), 'upload');
  const queue = await UploadQueue.open({
    config,
    journalDir,
    logger: { log: (level, m) => (level === 'debug' ? undefined : io.err(m)) },
  });
  return { queue, config };
}

/** Runs the queue until the jobs `ids` are settled; prints their progress; exit code. */
async function runUntilSettled(queue: UploadQueue, ids: string[], io: CliIo): Promise<number> {
  const onSigint = () => void queue.close();
  process.once('SIGINT', onSigint);
  try {
    const last = new Map<string, { line: string; at: number }>();
    queue.subscribe((snap) => {
      for (const s of snap) {
        if (!ids.includes(s.id)) continue;
        const line = describeStatus(s);
        const prev = last.get(s.id);
        const now = Date.now();
        // a new state or reason at once, progress every 2 s
        if (!prev || line.split(',')[0] !== prev.line.split(',')[0] || now - prev.at > 2_000) {
          io.out(line);
          last.set(s.id, { line, at: now });
        }
      }
    });
    for (const id of ids)
      if (queue.snapshot().find((x) => x.id === id)?.state === 'paused') await queue.resume(id);
    queue.start();
    await queue.whenIdle();
    let code = 0;
    for (const id of ids) {
      const s = queue.snapshot().find((x) => x.id === id);
      if (!s) return 1;
      io.out(describeStatus(s));
      if (s.state === 'queued') io.err('interrupted; run the same command again to resume');
      if (s.state === 'failed')
        io.err(`resume it with: aquila upload retry ${s.dataset} --target ${s.target}`);
      if (s.state !== 'done') code = 1;
    }
    return code;
  } finally {
    process.off('SIGINT', onSigint);
    await queue.close();
  }
}

async function upload(args: ParsedArgs, io: CliIo): Promise<number> {
  const [dataset, extra] = args.positionals;
  const target = flagString(args, 'target');
  if (!dataset || extra !== undefined || !target) throw new ValidationError(`usage: ${USAGE}`);
  const { queue } = await openQueue(args, io, target);
  let id: string;
  try {
    id = await queue.enqueue(dataset, target);
  } catch (err) {
    await queue.close();
    throw err;
  }
  return runUntilSettled(queue, [id], io);
}

function matches(s: UploadStatus, dataset: string | undefined, target: string | undefined) {
  return (
    (!dataset || s.dataset === path.resolve(dataset) || path.basename(s.dataset) === dataset) &&
    (!target || s.target === target)
  );
}

async function retry(args: ParsedArgs, io: CliIo): Promise<number> {
  const [dataset, extra] = args.positionals;
  if (extra !== undefined) throw new ValidationError(`usage: ${USAGE}`);
  const target = flagString(args, 'target');
  const { queue } = await openQueue(args, io, target);
  const ids: string[] = [];
  try {
    for (const s of queue.snapshot())
      if (s.state === 'failed' && matches(s, dataset, target)) {
        await queue.retry(s.id);
        ids.push(s.id);
      }
  } catch (err) {
    await queue.close();
    throw err;
  }
  if (!ids.length) {
    await queue.close();
    io.err(
      `no failed upload${dataset ? ` of ${dataset}` : ''}${target ? ` to "${target}"` : ''} in the journal`,
    );
    return 1;
  }
  return runUntilSettled(queue, ids, io);
}

async function status(args: ParsedArgs, io: CliIo): Promise<number> {
  const [dataset, extra] = args.positionals;
  if (extra !== undefined) throw new ValidationError(`usage: ${USAGE}`);
  const target = flagString(args, 'target');
  let list: UploadStatus[];
  try {
    const { queue } = await openQueue(args, io, target);
    list = queue.snapshot();
    await queue.close();
  } catch (err) {
    if (!(err instanceof StateError) || !/in use by/.test(err.message)) throw err;
    // A host holds the journal: its state has the live figures. (Another `aquila upload`
    // holding it is no host: then the lock's own message says who.)
    let host;
    try {
      host = findHost();
    } catch {
      throw err;
    }
    const { status: code, json } = await requestHost(host, '/api/state');
    const uploads = (json as { state?: { uploads?: UploadStatus[] } }).state?.uploads;
    if (code !== 200 || !uploads)
      throw new StateError(`GET /api/state answered HTTP ${code}: ${JSON.stringify(json)}`);
    list = uploads;
  }
  const shown = list.filter((s) => matches(s, dataset, target));
  for (const s of shown) io.out(describeStatus(s));
  if (!shown.length) io.err('no uploads in the journal match');
  return 0;
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, flags);
  const [first] = args.positionals;
  // A dataset folder literally named "retry" or "status": pass it as ./retry.
  if (first === 'retry' || first === 'status') {
    const rest = { ...args, positionals: args.positionals.slice(1) };
    return first === 'retry' ? retry(rest, io) : status(rest, io);
  }
  return upload(args, io);
}

export const command: CliCommand = {
  name: 'upload',
  usage: USAGE,
  summary:
    'Archive a dataset folder to an upload target (S3/Ceph RGW or a file system); resumable, verified; `retry` resumes failed uploads, `status` shows the queue',
  run,
};
