import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  EstimateScheduler,
  type Estimate,
  type EstimateView,
} from '../../../renderer/ui/estimate-scheduler';
import { HostCallError } from '../../../renderer/transport/call-error';

const est = (frames: number): Estimate => ({ events: frames, frames, bytes: 1, durationS: 1 });

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('EstimateScheduler', () => {
  let views: EstimateView[];
  let calls: Record<string, unknown>[];
  let replies: ReturnType<typeof deferred<Estimate>>[];
  let s: EstimateScheduler;

  beforeEach(() => {
    vi.useFakeTimers();
    views = [];
    calls = [];
    replies = [];
    s = new EstimateScheduler({
      delayMs: 300,
      estimate: (plan) => {
        calls.push(plan);
        const d = deferred<Estimate>();
        replies.push(d);
        return d.promise;
      },
      onResult: (v) => views.push(v),
    });
  });
  afterEach(() => {
    s.dispose();
    vi.useRealTimers();
  });

  it('sends only the last plan of a burst, after the quiet time', async () => {
    s.update({ n: 1 });
    await vi.advanceTimersByTimeAsync(100);
    s.update({ n: 2 });
    await vi.advanceTimersByTimeAsync(299);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([{ n: 2 }]);
    replies[0]!.resolve(est(6));
    await vi.advanceTimersByTimeAsync(0);
    expect(views.at(-1)).toEqual({ kind: 'ok', estimate: est(6) });
  });

  it('a late reply to an older plan never overwrites the newer answer', async () => {
    s.update({ n: 1 });
    await vi.advanceTimersByTimeAsync(300);
    s.update({ n: 2 });
    await vi.advanceTimersByTimeAsync(300);
    replies[1]!.resolve(est(2));
    await vi.advanceTimersByTimeAsync(0);
    replies[0]!.resolve(est(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(views.filter((v) => v.kind === 'ok')).toEqual([{ kind: 'ok', estimate: est(2) }]);
  });

  it('shows the host error text; null plan → idle without a call', async () => {
    s.update({ bad: true });
    await vi.advanceTimersByTimeAsync(300);
    replies[0]!.reject(new Error('channels[0].exposure: Too small'));
    await vi.advanceTimersByTimeAsync(0);
    expect(views.at(-1)).toEqual({ kind: 'error', message: 'channels[0].exposure: Too small' });
    s.update(null);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(1);
    expect(views.at(-1)).toEqual({ kind: 'idle' });
  });

  it('an invalid plan: one line per problem, not run together', async () => {
    s.update({ bad: true });
    await vi.advanceTimersByTimeAsync(300);
    replies[0]!.reject(
      new HostCallError({
        name: 'ValidationError',
        code: 'E_INVALID',
        message: 'plan: z_plan.step: Too small; channels: Required',
        details: { problems: ['z_plan.step: Too small', 'channels: Required'] },
      }),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(views.at(-1)).toMatchObject({
      kind: 'error',
      problems: ['z_plan.step: Too small', 'channels: Required'],
    });
  });

  it('dispose cancels a pending call', async () => {
    s.update({ n: 1 });
    expect(views).toEqual([{ kind: 'pending' }]);
    s.dispose();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toEqual([]);
  });
});
