/** bench:writer's peers (writer-peers.py: tensorstore, tifffile) and the SHA-256 CPU baseline. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasetFormat } from '../../electron/storage/layout';

export type Peer = 'tensorstore' | 'tensorstore-fsync' | 'tifffile';
const peerScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'writer-peers.py');
/** `--peers`: a comma list of peers, or `none`. */
export function parsePeers(spec: string): Peer[] {
  const wanted = spec === 'none' ? [] : (spec.split(',') as Peer[]);
  for (const p of wanted)
    if (!['tensorstore', 'tensorstore-fsync', 'tifffile'].includes(p))
      throw new Error(
        `--peers: unknown peer ${p} (tensorstore, tensorstore-fsync, tifffile, none)`,
      );
  return wanted;
}

/** The wanted peers that write `format` (tifffile OME-TIFF, tensorstore the Zarr formats). */
export function peersFor(wanted: readonly Peer[], format: DatasetFormat): Peer[] {
  return wanted.filter((p) => (format === 'ome-tiff') === (p === 'tifffile'));
}

/** One peer writing `frames` planes of `side`² as `format` (see writer-peers.py). */
export function peerRun(
  dir: string,
  peer: Peer,
  format: DatasetFormat,
  side: number,
  frames: number,
  zPlanes: number,
): PeerTimes {
  const out = path.join(dir, `peer-${peer}`);
  const args = [peerScript, peer, format, out, side, frames, zPlanes, 8, 4].map(String);
  const r = spawnSync('python3', args, { encoding: 'utf8' });
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(out + '.ome.tif', { force: true });
  if (r.status !== 0)
    throw new Error(
      `peer ${peer} (${format}) failed: ${r.error?.message ?? r.stderr.trim()} — install with "python3 -m pip install tensorstore tifffile"`,
    );
  return JSON.parse(r.stdout) as PeerTimes;
}

/** A peer run: wall seconds until closed, CPU seconds of all its threads then, `sync` seconds. */
export interface PeerTimes {
  writeS: number;
  cpuS: number;
  syncS: number;
}

/**
 * CPU seconds per plane of SHA-256 alone over one plane of `frameBytes` (Node's createHash,
 * OpenSSL's EVP interface, which uses the CPU's SHA extensions where it has them): the part
 * of Aquila's CPU per plane that no peer spends (the manifest hash).
 */
export function sha256CpuPerPlane(frameBytes: number): number {
  const plane = new Uint8Array(frameBytes).fill(7);
  const planes = Math.max(4, Math.ceil(2 ** 27 / frameBytes));
  const c0 = process.cpuUsage();
  for (let k = 0; k < planes; k++) createHash('sha256').update(plane).digest();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6 / planes;
}
