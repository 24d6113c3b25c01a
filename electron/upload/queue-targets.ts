/**
 * The upload queue's targets, built once per configured name on first use, and the count of
 * bytes this process sends a second time (after interruptions) for the job being uploaded.
 */
import { ValidationError } from '../../drivers/errors';
import type { UploadConfig, UploadTargetConfig } from './config';
import { createTarget } from './policies';
import type { LiveStatus } from './status';
import type { UploadTarget } from './target';

type TargetOptions = Parameters<typeof createTarget>[1];

export class TargetPool {
  private readonly targets = new Map<string, UploadTarget>();

  /** `sendingFor()` is the live status of the job being uploaded, if any. */
  constructor(
    private readonly config: UploadConfig,
    private readonly opts: TargetOptions,
    private readonly sendingFor: () => LiveStatus | undefined,
  ) {}

  get(name: string): UploadTarget {
    let t = this.targets.get(name);
    if (!t) {
      t = createTarget(this.configOf(name), {
        ...this.opts,
        observer: {
          sending: (rel, n, bytes) => {
            this.opts.observer?.sending?.(rel, n, bytes);
            this.noteSend(rel, n, bytes);
          },
        },
      });
      this.targets.set(name, t);
    }
    return t;
  }

  /** The configuration of target `name`; a ValidationError naming the configured ones if none. */
  configOf(name: string): UploadTargetConfig {
    const cfg = this.config.targets.find((t) => t.name === name);
    if (!cfg)
      throw new ValidationError(
        `unknown upload target "${name}" (configured: ${this.config.targets.map((t) => t.name).join(', ')})`,
      );
    return cfg;
  }

  close(): void {
    for (const t of this.targets.values()) t.close();
  }

  /** Counts bytes this process sends a second time for the running job (after interruptions). */
  private noteSend(rel: string, n: number, bytes: number): void {
    const l = this.sendingFor();
    if (!l) return;
    const key = `${rel}#${n}`;
    if (l.sent.has(key)) l.bytesResent += bytes;
    else l.sent.add(key);
  }
}
