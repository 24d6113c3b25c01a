/**
 * Runs upload-child.ts repeatedly, SIGKILLing it at random moments after it has started
 * sending, then lets one run finish. Returns the final statuses and the send trace. Also
 * `spawnTsxChild`, how the upload tests start such a child.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UploadStatus } from '../../../electron/upload/status';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'upload-child.ts');

export interface CrashRun {
  kills: number;
  final: UploadStatus[];
  /** Every `<rel>#<part>` send, in order, over all runs. */
  sends: string[];
}

async function traceEntries(trace: string): Promise<string[]> {
  return (await readFile(trace, 'utf8').catch(() => '')).split('\n').filter(Boolean);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `script` in a new Node with tsx, `args` as JSON in argv[2]; its output is collected. */
export function spawnTsxChild(script: string, args: unknown) {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return { proc, exited, out: () => out, err: () => err };
}

export async function runWithKills(
  args: { config: unknown; journalDir: string; dataset: string; target: string; trace: string },
  kills: number,
  random: () => number,
  /** Distinct requests the whole upload makes; bounds how far each killed run may get. */
  totalSends: number,
  /** Awaited after each kill, before the next run starts. */
  afterKill: () => Promise<void> = async () => undefined,
): Promise<CrashRun> {
  let killed = 0;
  for (let run = 0; ; run++) {
    const { proc, exited, out, err } = spawnTsxChild(child, args);
    if (killed < kills) {
      // Wait until this run sends something, then kill after a random delay, or as soon as it
      // starts more new requests than its share, so later kills still find work in progress.
      const unique = async () => new Set(await traceEntries(args.trace)).size;
      const seen = await unique();
      const share = Math.floor((totalSends - seen - 1) / (kills - killed + 1));
      const before = (await traceEntries(args.trace)).length;
      for (let i = 0; i < 1200 && (await traceEntries(args.trace)).length <= before; i++) {
        if (proc.exitCode !== null) break;
        await sleep(10);
      }
      const deadline = Date.now() + Math.floor(random() * 2500);
      while (Date.now() < deadline && proc.exitCode === null && (await unique()) <= seen + share)
        await sleep(10);
      if (proc.exitCode === null) {
        proc.kill('SIGKILL');
        killed++;
      }
      const code = await exited;
      if (code !== null && code !== 0) throw new Error(`uploader exited with ${code}: ${err()}`);
      if (code === 0 && killed < kills)
        throw new Error(`upload finished after only ${killed} kills; slow it down`);
      await afterKill();
      continue;
    }
    const code = await exited;
    if (code !== 0) throw new Error(`final uploader run exited with ${code}: ${err()}`);
    const last = out().trim().split('\n').at(-1) ?? '[]';
    const sends = (await readFile(args.trace, 'utf8')).split('\n').filter(Boolean);
    return { kills: killed, final: JSON.parse(last) as UploadStatus[], sends };
  }
}

/** Sends beyond the first of each request key (re-sends). */
export function resends(sends: readonly string[]): number {
  return sends.length - new Set(sends).size;
}
