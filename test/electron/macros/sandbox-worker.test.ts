import { MessageChannel, type Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnWorker } from '../../../drivers/workers';
import type { SandboxMessage, SandboxReply } from '../../../electron/macros/protocol';
import { snapshotBuffer } from '../../../electron/macros/read-snapshot';

interface Sandbox {
  worker: Worker;
  seen: SandboxMessage[];
  replySync(reply: SandboxReply): void;
  abort(): void;
  done: Promise<SandboxMessage>;
}
const live: Sandbox[] = [];

/** The sandbox worker on its own, with this test as the host (protocol.ts). */
function sandbox(source: string, onRequest: (m: SandboxMessage, w: Sandbox) => void): Sandbox {
  const channel = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const abortFlag = new Int32Array(new SharedArrayBuffer(4));
  const worker: Worker = spawnWorker(
    new URL('../../../electron/macros/sandbox.worker.ts', import.meta.url),
    {
      source,
      filename: 'm.js',
      commandNames: ['stage.position', 'stage.moveTo'],
      syncCommands: ['stage.position'],
      params: {},
      limits: { memoryBytes: 32 << 20, stackBytes: 256 << 10, workPolls: 1e6 },
      abortFlag: abortFlag.buffer,
      callPort: channel.port2,
      callSignal: signal.buffer,
      snapshotCommands: [],
      snapshot: snapshotBuffer(0),
    },
    { transferList: [channel.port2] },
  );
  const s: Sandbox = {
    worker,
    seen: [],
    /** Answers a synchronous request the way macro-runner.ts does. */
    replySync(reply: SandboxReply) {
      channel.port1.postMessage(reply);
      Atomics.add(signal, 0, 1);
      Atomics.notify(signal, 0);
    },
    abort() {
      Atomics.store(abortFlag, 0, 1);
      Atomics.notify(signal, 0);
    },
    done: new Promise<SandboxMessage>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', (m: SandboxMessage) => {
        s.seen.push(m);
        if (m.type === 'done') resolve(m);
        else onRequest(m, s);
      });
    }),
  };
  live.push(s);
  return s;
}
afterEach(async () => {
  for (const s of live.splice(0)) await s.worker.terminate();
});

describe('the synchronous call channel of the sandbox', () => {
  it('asks read-only commands with sync: true and reads the reply from the call port', async () => {
    const s = sandbox(
      `const p = await aquila.stage.position();\naquila.log('x', p.xUm);\nconst s = await aquila.state();\naquila.log(s.mode);`,
      (m, w) => {
        if (m.type === 'call')
          w.replySync({ type: 'reply', id: m.id, ok: true, json: '{"xUm":7}' });
        if (m.type === 'state')
          w.replySync({ type: 'reply', id: m.id, ok: true, json: '{"mode":"idle"}' });
      },
    );
    expect(await s.done).toEqual({ type: 'done', ok: true });
    const asked = s.seen.filter((m) => m.type === 'call' || m.type === 'state');
    expect(asked).toEqual([
      { type: 'call', id: expect.any(Number), name: 'stage.position', argsJson: '{}', sync: true },
      { type: 'state', id: expect.any(Number), sync: true },
    ]);
    expect(s.seen.filter((m) => m.type === 'log').map((m) => 'text' in m && m.text)).toEqual([
      'x 7',
      'idle',
    ]);
  });

  it('keeps mutating commands asynchronous', async () => {
    const s = sandbox(`await aquila.stage.moveTo({ xUm: 1, yUm: 2 });`, (m, w) => {
      if (m.type === 'call')
        w.worker.postMessage({ type: 'reply', id: m.id, ok: true, json: '{}' });
    });
    expect(await s.done).toEqual({ type: 'done', ok: true });
    expect(s.seen.find((m) => m.type === 'call')).not.toHaveProperty('sync');
  });

  it('rejects a refused synchronous call with the host error at the macro line:column', async () => {
    const s = sandbox(
      `aquila.log('start');\ntry {\n  await aquila.stage.position({ bogus: 1 });\n} catch (e) {\n  aquila.log(e.code, e.message, e.line, e.column);\n}`,
      (m, w) => {
        if (m.type === 'call')
          w.replySync({
            type: 'reply',
            id: m.id,
            ok: false,
            errorJson: JSON.stringify({
              name: 'ValidationError',
              code: 'E_INVALID',
              message: 'bogus',
            }),
          });
      },
    );
    expect(await s.done).toEqual({ type: 'done', ok: true });
    const logs = s.seen.filter((m) => m.type === 'log').map((m) => 'text' in m && m.text);
    expect(logs[1]).toMatch(/^E_INVALID bogus 3 \d+$/);
  });

  it('stops within the wait slice when aborted while blocked on a host that never answers', async () => {
    const s = sandbox(`await aquila.stage.position();\nwhile (true) {}`, (m, w) => {
      if (m.type === 'call') setTimeout(() => w.abort(), 50);
    });
    const t0 = performance.now();
    const done = await s.done;
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(done).toMatchObject({ type: 'done', ok: false, error: { limit: 'aborted' } });
  });
});
