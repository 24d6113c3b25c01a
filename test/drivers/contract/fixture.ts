/**
 * Shared plumbing of the device contract suites: a fresh device per test (instance-scoped,
 * cleaned up even when a test fails), bounded waits, and error-code matching that works
 * for any implementation (errors are compared by their stable `code`).
 */
import { afterEach, beforeEach } from 'vitest';
import type { Device } from '../../../drivers/devices';

export interface DeviceFixture<D extends Device> {
  /** Not yet connected; the suite connects it. */
  device: D;
  /** Releases everything `make` created (ports, simulators, temp dirs). */
  cleanup(): Promise<void>;
}

export type MakeDevice<D extends Device> = () => Promise<DeviceFixture<D>>;

/** Registers before/after hooks; call `current()` inside a test for this test's device. */
export function useDevice<D extends Device>(make: MakeDevice<D>): () => D {
  let fixture: DeviceFixture<D> | undefined;
  beforeEach(async () => {
    fixture = await make();
  });
  afterEach(async () => {
    const f = fixture;
    fixture = undefined;
    if (!f) return;
    try {
      await f.device.disconnect();
    } catch {
      // already disconnected or broken by the test; cleanup still runs
    }
    await f.cleanup();
  });
  return () => {
    if (!fixture) throw new Error('contract fixture used outside a test');
    return fixture.device;
  };
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `check` every `everyMs` until it returns true; fails after `ms`. */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  ms: number,
  what: string,
  everyMs = 5,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resolves with the error `p` rejects with; fails if it resolves. */
export async function rejection(p: Promise<unknown>): Promise<{ code?: unknown; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Error) return err as Error & { code?: unknown };
    return { message: String(err) };
  }
  throw new Error('expected a rejection, but the call succeeded');
}
