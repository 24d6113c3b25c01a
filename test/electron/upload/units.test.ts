/** Pure parts of the upload code: multipart arithmetic, manifest parsing, journal replay, config. */
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aquilaConfig } from '../../../electron/config/schema';
import { uploadConfig } from '../../../electron/upload/config';
import { classifyError, redact } from '../../../electron/upload/errors';
import { Journal } from '../../../electron/upload/journal';
import { parseManifest } from '../../../electron/upload/manifest';
import {
  choosePartSize,
  md5,
  MIB,
  multipartEtag,
  partCount,
} from '../../../electron/upload/part-plan';
import { backoffMs } from '../../../electron/upload/status';
import { TokenBucket } from '../../../electron/upload/throttle';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'aquila-units-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('multipart arithmetic', () => {
  it('matches the ETag Ceph RGW (Pacific) reported for a 2-part upload', () => {
    // Recorded from radosgw 16.2: parts of 5 MiB of 0x01 and 100 bytes of 0x02.
    const parts = [Buffer.alloc(5 * MIB, 1), Buffer.alloc(100, 2)].map((b) => md5(b).hex);
    expect(parts).toEqual(['08b46181d7094b5ece88bb389c7499af', '4b78b18591f8b110fe288a813f020717']);
    expect(multipartEtag(parts)).toBe('686ce36d083e1d331420bff015e9a69d-2');
  });

  it('keeps parts within 5 MiB–5 GiB and at most 10,000 parts', () => {
    expect(choosePartSize(1, 8 * MIB)).toBe(8 * MIB);
    expect(choosePartSize(100 * MIB, 1)).toBe(5 * MIB);
    const tib = 1024 * 1024 * MIB;
    const p = choosePartSize(tib, 8 * MIB);
    expect(p % MIB).toBe(0);
    expect(partCount(tib, p)).toBeLessThanOrEqual(10_000);
    expect(partCount(tib, p - MIB)).toBeGreaterThan(10_000);
    expect(choosePartSize(5 * tib, 8 * MIB)).toBeLessThanOrEqual(5 * 1024 * MIB);
    expect(() => choosePartSize(5 * tib + 1, 8 * MIB)).toThrow(/5 TiB/);
    expect(partCount(0, 5 * MIB)).toBe(1);
  });

  it('backs off exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 10].map((a) => backoffMs(a, 100, 1_000))).toEqual([
      100, 200, 400, 800, 1_000,
    ]);
  });
});

describe('manifest parsing', () => {
  const h = 'a'.repeat(64);
  it('reads sha256sum lines (text and binary mode)', () => {
    expect(parseManifest(`${h}  a/b.zarr/0.0\n${h} *c d.json\n`, 'm')).toEqual([
      { rel: 'a/b.zarr/0.0', sha256: h },
      { rel: 'c d.json', sha256: h },
    ]);
  });
  it.each([
    [`${h.slice(1)}  a`, 'line 1: expected'],
    [`${h}  /etc/passwd`, 'not a plain relative path'],
    [`${h}  a/../../x`, 'not a plain relative path'],
    [`${h}  a\n${h}  a`, 'line 2: "a" is listed twice'],
    [`${h}  manifest.sha256`, 'must not list itself'],
  ])('rejects %j', (text, message) => {
    expect(() => parseManifest(text, 'ds/manifest.sha256')).toThrow(message);
  });
});

describe('journal', () => {
  it('replays after reopen, ignores a torn last line and compacts finished jobs', async () => {
    let j = await Journal.open(tmp);
    await j.append({ t: 'job', id: 'j1', dataset: '/d1', target: 'ceph', at: 1 });
    await j.append({ t: 'mpu', id: 'j1', rel: 'big', uploadId: 'u1', partBytes: 5 * MIB });
    await Promise.all(
      [1, 2, 3].map((n) => j.append({ t: 'part', id: 'j1', rel: 'big', n, md5: `m${n}` })),
    );
    await j.append({ t: 'file', id: 'j1', rel: 'small' });
    await j.append({ t: 'job', id: 'j2', dataset: '/d2', target: 'ceph', at: 2 });
    await j.append({ t: 'status', id: 'j2', state: 'done', at: 3 });
    await j.close();
    await appendFile(
      path.join(tmp, 'upload-journal.jsonl'),
      '{"t":"part","id":"j1","rel":"big","n":4,"md',
    );
    j = await Journal.open(tmp);
    const j1 = j.jobs.get('j1');
    expect(j1?.state).toBe('queued');
    expect([...(j1?.mpus.get('big')?.parts.keys() ?? [])].sort()).toEqual([1, 2, 3]);
    expect(j1?.filesDone.has('small')).toBe(true);
    expect(j.jobs.get('j2')?.state).toBe('done');
    await j.close();
    const text = await readFile(path.join(tmp, 'upload-journal.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('"n":4');
    expect(text.split('\n').filter((l) => l.includes('"j2"'))).toHaveLength(2);
  });
});

describe('config and errors', () => {
  it('is an optional section of the Aquila config, with readable errors', () => {
    const base = {
      name: 'x',
      devices: [{ id: 'cam', kind: 'camera', driver: 'sim' }],
      limits: { xUm: { min: 0, max: 1 }, yUm: { min: 0, max: 1 }, zUm: { min: 0, max: 1 } },
    };
    expect(aquilaConfig.parse(base).upload).toBeUndefined();
    const fs = { name: 'a', kind: 'filesystem', path: '/mnt/cephfs' };
    const bad = aquilaConfig.safeParse({ ...base, upload: { targets: [fs, fs] } });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('duplicate upload target name');
    const s3 = uploadConfig.safeParse({
      targets: [{ name: 'c', kind: 's3', endpoint: 'x', bucket: 'b', credentials: {} }],
    });
    expect(s3.error?.issues.map((i) => i.path.join('.'))).toEqual(
      expect.arrayContaining(['targets.0.endpoint', 'targets.0.bucket', 'targets.0.credentials']),
    );
  });

  it('classifies gateway errors and redacts secrets', () => {
    const secret = 'S3cr3tS3cr3tS3cr3t';
    const auth = classifyError(
      { name: 'SignatureDoesNotMatch', message: `bad ${secret}` },
      'upload target "c"',
      [secret],
    );
    expect(auth.transient).toBe(false);
    expect(auth.message).toMatch(/^upload target "c": the secret key is wrong/);
    const net = classifyError(
      Object.assign(new Error(`connect ECONNREFUSED key=${secret}`), { code: 'ECONNREFUSED' }),
      'upload target "c"',
      [secret],
    );
    expect(net.transient).toBe(true);
    expect(net.message).toContain('ECONNREFUSED');
    expect(net.message).toMatch(/the gateway refused the connection/);
    expect(net.message).not.toContain(secret);
    // The SDK's name plus Node's code used to be shown raw ("TimeoutError EPIPE: ...").
    const pipe = classifyError(
      Object.assign(new Error('write EPIPE'), { name: 'TimeoutError', code: 'EPIPE' }),
      'upload target "c": UploadPart k#3',
      [],
    );
    expect(pipe.transient).toBe(true);
    expect(pipe.message).toBe(
      'upload target "c": UploadPart k#3: the gateway closed the connection while a request was being sent [EPIPE]',
    );
    expect(redact(`a${secret}b${secret}`, [secret])).toBe('a[redacted]b[redacted]');
  });

  it('token bucket holds the long-run rate', async () => {
    const b = new TokenBucket(10e6);
    const t0 = performance.now();
    for (let i = 0; i < 4; i++) await b.take(1e6);
    // first take is free, three more need 0.3 s at 10 MB/s
    expect(performance.now() - t0).toBeGreaterThan(280);
    const open = new TokenBucket(undefined);
    const t1 = performance.now();
    for (let i = 0; i < 100; i++) await open.take(1e9);
    expect(performance.now() - t1).toBeLessThan(250);
  });
});

describe('S3 client', () => {
  it("does not print the SDK's Node-version warning at operators", async () => {
    const { S3Ops } = await import('../../../electron/upload/s3-client');
    const { s3Target } = await import('../../../electron/upload/config');
    delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const cfg = s3Target.parse({
        name: 'ceph',
        kind: 's3',
        endpoint: 'http://127.0.0.1:9',
        bucket: 'raw-data',
        credentials: { accessKeyId: 'k', secretAccessKey: 's' },
      });
      const ops = new S3Ops(cfg, { accessKeyId: 'k', secretAccessKey: 's' }, 2);
      ops.client.destroy();
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
      expect(warnings.filter((w) => w.includes('NodeVersionSupportWarning'))).toEqual([]);
      expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
