/**
 * Copies a dataset into a directory (a CephFS mount or any file system):
 * `<path>/<dataset>/<rel>`. Each file is written under `<rel>.aquila-part`, fsync'ed, read back
 * and its sha256 compared with the manifest, then renamed into place and its directory
 * fsync'ed; `manifest.sha256` goes last, so a copy that has a manifest is complete.
 * A file already in place with the manifest's sha256 (a crash after the rename) is kept.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FilesystemTargetConfig } from './config';
import { UploadError } from './errors';
import { MANIFEST_NAME, sha256File, type ManifestEntry } from './manifest';
import { MIB } from './part-plan';
import { Slots, type UploadAttempt, type UploadObserver, type UploadTarget } from './target';

const CHUNK_BYTES = 4 * MIB;

export class FilesystemTarget implements UploadTarget {
  readonly kind = 'filesystem' as const;
  readonly name: string;

  constructor(
    private readonly cfg: FilesystemTargetConfig,
    private readonly observer: UploadObserver = {},
  ) {
    this.name = cfg.name;
  }

  close(): void {}

  private where(): string {
    return `upload target "${this.cfg.name}" (${this.cfg.path})`;
  }

  async upload(a: UploadAttempt): Promise<void> {
    const root = path.resolve(this.cfg.path);
    try {
      if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
    } catch (err) {
      throw new UploadError(
        `${this.where()}: destination is not an existing directory (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); mount it or fix \`path\``,
        false,
      );
    }
    const dest = path.join(root, a.manifest.name);
    const ac = new AbortController();
    const onAbort = () => ac.abort(a.signal.reason);
    a.signal.addEventListener('abort', onAbort, { once: true });
    const slots = new Slots(this.cfg.concurrency, (err) => ac.abort(err));
    try {
      for (const f of a.manifest.files) {
        if (a.job.filesDone.has(f.rel)) {
          a.progress(f.sizeBytes);
          continue;
        }
        await slots.acquire();
        slots.spawn(() => this.copyFile(f, a, dest, ac.signal));
      }
      a.phase('verifying');
      await slots.drain();
    } catch (err) {
      ac.abort(err);
      await slots.drain().catch(() => undefined);
      throw err;
    } finally {
      a.signal.removeEventListener('abort', onAbort);
    }
    if (a.partial) return;
    const m = a.manifest.manifestBytes;
    await this.copyFile(
      {
        rel: MANIFEST_NAME,
        sha256: createHash('sha256').update(m).digest('hex'),
        sizeBytes: m.length,
      },
      a,
      dest,
      a.signal,
    );
  }

  private async copyFile(
    f: ManifestEntry,
    a: UploadAttempt,
    dest: string,
    signal: AbortSignal,
  ): Promise<void> {
    const src = path.join(a.manifest.datasetDir, f.rel);
    const final = path.join(dest, f.rel);
    const existing = await sha256File(final).catch(() => undefined);
    if (existing !== f.sha256) {
      await this.copyVerified(src, final, f, a, signal);
    }
    await a.record({ t: 'file', id: a.job.id, rel: f.rel });
    a.progress(f.sizeBytes);
  }

  private async copyVerified(
    src: string,
    final: string,
    f: ManifestEntry,
    a: UploadAttempt,
    signal: AbortSignal,
  ): Promise<void> {
    const tmp = `${final}.aquila-part`;
    const fail = (what: string, err: unknown) =>
      new UploadError(
        `${this.where()}: ${what} ${f.rel}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        ['ENOSPC', 'EACCES', 'EPERM', 'EROFS'].includes(
          String((err as NodeJS.ErrnoException).code),
        ) === false,
      );
    try {
      await mkdir(path.dirname(final), { recursive: true });
    } catch (err) {
      throw fail('cannot create the directory for', err);
    }
    const sha = createHash('sha256');
    const inFh = await open(src, 'r');
    let outFh;
    try {
      outFh = await open(tmp, 'w');
    } catch (err) {
      await inFh.close();
      throw fail('cannot write', err);
    }
    try {
      signal.throwIfAborted(); // paused or cancelled while this copy waited for its slot
      this.observer.sending?.(f.rel, 0, f.sizeBytes);
      const buf = Buffer.allocUnsafe(CHUNK_BYTES);
      for (let off = 0; ;) {
        signal.throwIfAborted();
        const want = Math.min(CHUNK_BYTES, Math.max(1, f.sizeBytes - off));
        await a.disk.take(want, signal);
        const { bytesRead } = await inFh.read(buf, 0, CHUNK_BYTES, off);
        if (bytesRead === 0) break;
        await a.net.take(bytesRead, signal);
        const chunk = buf.subarray(0, bytesRead);
        sha.update(chunk);
        let written = 0;
        while (written < bytesRead)
          written += (await outFh.write(chunk, written, bytesRead - written, off + written))
            .bytesWritten;
        off += bytesRead;
      }
      await outFh.sync();
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      throw fail('copy failed for', err);
    } finally {
      await inFh.close();
      await outFh.close();
    }
    const local = sha.digest('hex');
    if (local !== f.sha256) {
      await rm(tmp, { force: true });
      throw new UploadError(
        `local file ${f.rel} no longer matches manifest.sha256 (sha256 ${local}, manifest ${f.sha256}); nothing was renamed into ${this.where()}`,
        false,
        { localChanged: f.rel },
      );
    }
    const landed = await sha256File(tmp);
    if (landed !== f.sha256)
      throw new UploadError(
        `${this.where()}: the copy of ${f.rel} reads back with sha256 ${landed}, expected ${f.sha256}`,
        true,
      );
    await rename(tmp, final);
    const dirFh = await open(path.dirname(final), 'r');
    await dirFh.sync().catch(() => undefined);
    await dirFh.close();
  }
}
