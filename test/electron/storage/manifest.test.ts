import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildManifest, verifyManifest, writeManifest } from '../../../electron/storage/manifest';
import { tempRoot } from './fixtures';

describe('manifest.sha256', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
  });
  function dataset(): string {
    const dir = tempRoot('mf');
    roots.push(dir);
    fs.mkdirSync(path.join(dir, 'a.ome.zarr', '0', '1'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a.ome.zarr', '0', '1', 'c'), 'chunk');
    fs.writeFileSync(path.join(dir, 'provenance.json'), '{}');
    fs.writeFileSync(path.join(dir, 'B.txt'), 'upper case sorts first');
    fs.writeFileSync(path.join(dir, 'writer.lock'), '{}');
    return dir;
  }

  it('is accepted by sha256sum -c, sorted, without itself or the lock', () => {
    const dir = dataset();
    writeManifest(dir, 'os');
    const lines = fs.readFileSync(path.join(dir, 'manifest.sha256'), 'utf8').trim().split('\n');
    expect(lines.map((l) => l.slice(66))).toEqual(['B.txt', 'a.ome.zarr/0/1/c', 'provenance.json']);
    fs.rmSync(path.join(dir, 'writer.lock'));
    const r = spawnSync('sha256sum', ['-c', '--strict', 'manifest.sha256'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.stdout).toContain('a.ome.zarr/0/1/c: OK');
    expect(r.status).toBe(0);
    expect(verifyManifest(dir)).toEqual([]);
  });

  it('uses a writer-computed hash only while the file size still matches', () => {
    const dir = dataset();
    const fake = 'f'.repeat(64);
    const same = buildManifest(dir, new Map([['provenance.json', { sha256: fake, bytes: 2 }]]));
    expect(same).toContain(`${fake}  provenance.json`);
    const changed = buildManifest(dir, new Map([['provenance.json', { sha256: fake, bytes: 3 }]]));
    expect(changed).not.toContain(fake);
  });

  it('reports changed, missing and unlisted files', () => {
    const dir = dataset();
    writeManifest(dir, 'os');
    fs.writeFileSync(path.join(dir, 'provenance.json'), '{"x":1}');
    fs.rmSync(path.join(dir, 'B.txt'));
    fs.writeFileSync(path.join(dir, 'extra'), '');
    expect(verifyManifest(dir).sort()).toEqual([
      'B.txt: listed but missing',
      'extra: not in manifest',
      'provenance.json: checksum differs',
    ]);
  });
});
