/**
 * Fuzz test of the remote server (issue #11): over 10,000 random and mutated HTTP requests,
 * WebSocket messages and raw WebSocket frames, with and without the token. Seeded, so a
 * failure names the case index that reproduces it. Invariants: no 500 (no internal fault),
 * nothing but a refusal without the token, no token or out-of-tree file in any reply or log
 * event, and afterwards the host still answers GET /api/state, with RSS growth bounded.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostEvent } from '../../../electron/api/contract';
import { clientMessage } from '../../../electron/api/messages';
import {
  startTestHost,
  smallSimConfig,
  TestClient,
  type HostFixture,
} from '../../support/host-fixture';
import { rawExchange, rawWebSocket } from '../../support/raw-socket';
import { tempDir } from '../../support/temp-dir';
import { httpCases, rawFrames, wsMessages, type FuzzTarget } from './fuzz-inputs';

const SEED = 11_2026;
const HTTP_CASES = 6_000;
const WS_MESSAGES = 3_000;
const RAW_FRAME_CASES = 1_500;
const CONCURRENCY = 24;
/**
 * Generous bounds: the host must not keep memory per request. The heap is measured after a
 * forced GC (about 3 KiB kept per case would exceed it; 6 MiB measured); RSS also holds
 * freed pages the allocator keeps (about 50 MiB measured).
 */
const MAX_HEAP_GROWTH_BYTES = 32 * 1024 * 1024;
const MAX_RSS_GROWTH_BYTES = 300 * 1024 * 1024;
const SECRET_MARKER = 'outside-the-ui-folder-0f3a';

let fx: HostFixture;
let target: FuzzTarget;
let logEventCount = 0;
const leakedLogs: string[] = [];

beforeAll(async () => {
  const ui = tempDir('aquila-fuzz-ui-');
  writeFileSync(path.join(ui, 'index.html'), '<!doctype html><title>Aquila</title>');
  const outside = tempDir('aquila-fuzz-outside-');
  writeFileSync(path.join(outside, 'secret.txt'), SECRET_MARKER);
  symlinkSync(outside, path.join(ui, 'link-out'));
  const datasets = tempDir('aquila-fuzz-data-');
  mkdirSync(datasets, { recursive: true });
  fx = await startTestHost(smallSimConfig({ storage: { datasetsRoot: datasets } }), ui);
  target = { port: fx.server.port, token: fx.token };
  fx.host.onEvent((e: HostEvent) => {
    if (e.type !== 'log') return;
    logEventCount += 1;
    if (e.message.includes(fx.token)) leakedLogs.push(e.message);
  });
});
afterAll(() => fx?.close());

/** Runs `work` over `items` with at most `limit` in flight; collects failures with their index. */
async function pool<T>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i).catch((err: unknown) =>
        failures.push(`case ${i}: ${(err as Error).message}`),
      );
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return failures;
}

/** Ids (as JSON) of the messages that are well-formed calls: each must get a result. */
function validCallIds(messages: string[]): Set<string> {
  const ids = new Set<string>();
  for (const m of messages) {
    let json: unknown;
    try {
      json = JSON.parse(m);
    } catch {
      continue;
    }
    const parsed = clientMessage.safeParse(json);
    if (parsed.success && parsed.data.type === 'call') ids.add(JSON.stringify(parsed.data.id));
  }
  return ids;
}

/** Waits up to 20 s for a result to each id; returns the ids still unanswered. */
async function waitForResults(client: TestClient, ids: Set<string>): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const answered = new Set(
      client.messages.filter((m) => m.type === 'result').map((m) => JSON.stringify(m.id)),
    );
    const missing = [...ids].filter((id) => !answered.has(id));
    if (missing.length === 0 || Date.now() > deadline) return missing;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stateAnswers(): Promise<void> {
  const r = await fetch(`${fx.server.url}api/state`, {
    headers: { authorization: `Bearer ${fx.token}` },
  });
  expect(r.status).toBe(200);
  const body = (await r.json()) as { rev: number; state: { instrument: { name: string } } };
  expect(body.state.instrument.name).toBe('Test scope');
  expect(body.rev).toBe(fx.host.store.rev);
}

/** Random and mutated raw HTTP requests; returns the failed invariants. */
async function httpPhase(): Promise<string[]> {
  const inputs = fc.sample(httpCases(target), { seed: SEED, numRuns: HTTP_CASES });
  return pool(inputs, CONCURRENCY, async ({ bytes, mutated }, i) => {
    const { reply } = await rawExchange(target.port, bytes, mutated ? 300 : 3_000);
    const status = /^HTTP\/1\.1 (\d{3}) /.exec(reply)?.[1];
    const what = () =>
      `${status} for ${JSON.stringify(bytes.toString('latin1').slice(0, 200))} (#${i})`;
    if (!mutated && !status) throw new Error(`no HTTP reply: ${what()}`);
    const withToken = bytes.includes(target.token);
    if (status === '500') throw new Error(`internal fault: ${what()}`);
    if (!withToken && status && /^[23]/.test(status))
      throw new Error(`served without the token: ${what()}`);
    if (!withToken && reply.includes(target.token)) throw new Error(`token leaked: ${what()}`);
    if (reply.includes(SECRET_MARKER))
      throw new Error(`followed a symlink out of the UI folder: ${what()}`);
  });
}

/** Random messages from one authorised client; returns the well-formed calls left unanswered. */
async function wsPhase(): Promise<string[]> {
  const client = await TestClient.connect(fx);
  const messages = fc.sample(wsMessages, { seed: SEED + 1, numRuns: WS_MESSAGES });
  for (const [i, m] of messages.entries()) {
    client.ws.send(m);
    if (i % 100 === 99) await client.call('laser.allOff'); // paces the sender, checks liveness
  }
  expect((await client.call('laser.allOff')).ok).toBe(true);
  const callIds = validCallIds(messages);
  expect(callIds.size).toBeGreaterThan(500); // the generator does produce well-formed calls
  const unanswered = await waitForResults(client, callIds);
  client.close();
  return unanswered;
}

/** Raw frames after a handshake, half with the token and half without. */
async function framesPhase(): Promise<string[]> {
  const frames = fc.sample(rawFrames, { seed: SEED + 2, numRuns: RAW_FRAME_CASES });
  return pool(frames, CONCURRENCY, async (frame, i) => {
    const headers: Record<string, string> =
      i % 2 ? { authorization: `Bearer ${target.token}` } : {};
    const socket = await rawWebSocket(target.port, headers);
    socket.resume();
    socket.on('error', () => undefined);
    socket.write(frame);
    await new Promise((r) => setTimeout(r, 20));
    socket.destroy();
  });
}

/** The V8 garbage collector, so heap growth is measured without garbage in it. */
function exposedGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('remote server fuzz', () => {
  it('survives >10,000 hostile requests, messages and frames and still serves /api/state', async () => {
    const gc = exposedGc();
    await stateAnswers();
    gc();
    const before = process.memoryUsage();

    expect((await httpPhase()).slice(0, 10)).toEqual([]);
    await stateAnswers();
    expect((await wsPhase()).slice(0, 10)).toEqual([]);
    expect((await framesPhase()).slice(0, 10)).toEqual([]);
    await stateAnswers();

    expect(logEventCount).toBeGreaterThan(100); // rejected messages were logged to clients…
    expect(leakedLogs.slice(0, 3)).toEqual([]); // … and none of them carried the token
    await new Promise((r) => setTimeout(r, 1_500)); // unauthorised sockets linger 1 s at most
    gc();
    const after = process.memoryUsage();
    expect(after.heapUsed - before.heapUsed).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
    expect(after.rss - before.rss).toBeLessThan(MAX_RSS_GROWTH_BYTES);
  }, 120_000);
});
