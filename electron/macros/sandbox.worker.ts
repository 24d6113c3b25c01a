/**
 * One macro in one worker thread, inside QuickJS compiled to WebAssembly: a separate heap
 * with no Node objects at all. The only way out is the `aquila` object built by the prelude
 * over two native functions (`__aquilaRequest`: a promise answered by the host; `__aquilaPost`:
 * log and progress). Budgets: heap (`setMemoryLimit`), stack (`setMaxStackSize`), work (the
 * interrupt handler's poll count) and the host's abort flag (abort or wall time), read by the
 * interrupt handler so even `while (true) {}` stops; the host terminates the thread if not.
 * Read-only commands and `state` go through `__aquilaRequestSync` instead: the worker blocks
 * until the host's reply (protocol.ts, `callSignal`), and the prelude wraps the value in a
 * settled promise. Snapshot commands called without arguments are answered from shared memory
 * (`__aquilaSnapshot`, read-snapshot.ts) with no message at all; their count goes to the host
 * in batches (`reads`) for its audit trail.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import {
  newQuickJSWASMModule,
  type QuickJSContext,
  type QuickJSDeferredPromise,
  type QuickJSHandle,
  type QuickJSRuntime,
} from 'quickjs-emscripten';
import { PRELUDE_FILENAME, PRELUDE_SOURCE } from './prelude';
import { SnapshotReader } from './read-snapshot';
import {
  ABORT_REASONS,
  type SandboxFailure,
  type SandboxInit,
  type SandboxMessage,
  type SandboxReply,
  type SandboxRequest,
} from './protocol';

const init = workerData as SandboxInit;
const port = parentPort!;
const snapshot = new SnapshotReader(init.snapshot, init.snapshotCommands.length);
/** Snapshot answers not yet reported to the host, per command. */
let reads: Record<string, number> = {};
let unreported = 0;
/** Reads reported at least this often, so a macro polling for hours shows in the audit trail. */
const READS_BATCH = 1_000;
function flushReads(): void {
  if (unreported === 0) return;
  port.postMessage({ type: 'reads', counts: reads } satisfies SandboxMessage);
  reads = {};
  unreported = 0;
}
const send = (m: SandboxMessage) => {
  flushReads();
  port.postMessage(m);
};
const abortFlag = new Int32Array(init.abortFlag);
const callSignal = new Int32Array(init.callSignal);
/** How long one `Atomics.wait` may block before the abort flag is read again (a notify wakes it earlier). */
const SYNC_WAIT_SLICE_MS = 100;

let stopReason: string | null = null;
let finished = false;
let nextId = 1;
const pending = new Map<number, QuickJSDeferredPromise>();

const QJS = await newQuickJSWASMModule();
const rt: QuickJSRuntime = QJS.newRuntime();
rt.setMemoryLimit(init.limits.memoryBytes);
rt.setMaxStackSize(init.limits.stackBytes);
let polls = 0;
/** True (and `stopReason` set) once the host raised the abort flag. */
function hostStopped(): boolean {
  const flag = Atomics.load(abortFlag, 0);
  if (flag !== 0) stopReason = ABORT_REASONS[flag - 1] ?? 'aborted';
  return flag !== 0;
}
rt.setInterruptHandler(() => {
  if (!hostStopped() && ++polls > init.limits.workPolls) stopReason = 'work';
  return stopReason !== null;
});
const vm: QuickJSContext = rt.newContext();

function defineBridge(): void {
  // The prelude passes strings or numbers only: read them as such (one FFI crossing each).
  const request = vm.newFunction('request', (opH, aH, bH) => {
    const op = vm.getString(opH);
    const id = nextId++;
    const deferred = vm.newPromise();
    pending.set(id, deferred);
    send(toRequest(id, op, aH, bH));
    return deferred.handle;
  });
  const requestSync = vm.newFunction('requestSync', (opH, aH, bH) => {
    const m = askSync(toRequest(nextId++, vm.getString(opH), aH, bH));
    return m.ok && 'json' in m ? vm.newString(m.json) : { error: vm.newString(failureJson(m)) };
  });
  const fromSnapshot = vm.newFunction('snapshot', (slotH) => {
    const slot = vm.getNumber(slotH);
    const name = init.snapshotCommands[slot];
    const json = name === undefined ? null : snapshot.read(slot);
    if (json === null || name === undefined) return vm.undefined;
    reads[name] = (reads[name] ?? 0) + 1;
    if (++unreported >= READS_BATCH) flushReads();
    return vm.newString(json);
  });
  const post = vm.newFunction('post', (opH, aH, bH) => {
    const op = vm.getString(opH);
    if (op === 'log') {
      const level = vm.getString(aH);
      send({
        type: 'log',
        level: level === 'warn' || level === 'error' ? level : 'info',
        text: vm.getString(bH),
      });
    } else if (op === 'progress') {
      send({ type: 'progress', fraction: vm.getNumber(aH), message: vm.getString(bH) });
    }
  });
  vm.setProp(vm.global, '__aquilaRequest', request);
  vm.setProp(vm.global, '__aquilaRequestSync', requestSync);
  vm.setProp(vm.global, '__aquilaSnapshot', fromSnapshot);
  vm.setProp(vm.global, '__aquilaPost', post);
  const spec = vm.newString(
    JSON.stringify({
      commandNames: init.commandNames,
      syncCommands: init.syncCommands,
      snapshotCommands: init.snapshotCommands,
      params: init.params,
      filename: init.filename,
    }),
  );
  vm.setProp(vm.global, '__aquilaSpec', spec);
  request.dispose();
  requestSync.dispose();
  fromSnapshot.dispose();
  post.dispose();
  spec.dispose();
  const r = vm.evalCode(PRELUDE_SOURCE, PRELUDE_FILENAME);
  if (r.error) {
    const e = vm.dump(r.error) as unknown;
    r.error.dispose();
    throw new Error(`macro prelude failed: ${JSON.stringify(e)}`);
  }
  r.value.dispose();
}

/** Posts `m` as a synchronous request and blocks until its reply, or until the macro is stopped. */
function askSync(m: SandboxRequest): SandboxReply {
  if (m.type !== 'call' && m.type !== 'state')
    throw new Error(`${m.type} is not a synchronous request`);
  m.sync = true;
  send(m);
  for (;;) {
    const seen = Atomics.load(callSignal, 0);
    const got = receiveMessageOnPort(init.callPort);
    if (got) return got.message as SandboxReply;
    if (hostStopped())
      return {
        type: 'reply',
        id: m.id,
        ok: false,
        errorJson: '{"name":"InternalError","message":"interrupted"}',
      };
    Atomics.wait(callSignal, 0, seen, SYNC_WAIT_SLICE_MS);
  }
}

function failureJson(m: SandboxReply): string {
  return 'errorJson' in m ? m.errorJson : '{"message":"a binary reply to a synchronous request"}';
}

function toRequest(id: number, op: string, a: QuickJSHandle, b: QuickJSHandle): SandboxRequest {
  if (op === 'call') return { type: 'call', id, name: vm.getString(a), argsJson: vm.getString(b) };
  if (op === 'sleep') return { type: 'sleep', id, ms: vm.getNumber(a) };
  if (op === 'pixels')
    return { type: 'pixels', id, seq: vm.getNumber(a), roiJson: vm.getString(b) };
  if (op === 'wait') return { type: 'wait', id, what: vm.getString(a) };
  return { type: 'state', id };
}

/** `InternalError: out of memory` etc. → the budget that refused, for the report. */
function limitOf(message: string): string | undefined {
  if (stopReason) return stopReason;
  if (/out of memory/i.test(message)) return 'memory';
  if (/stack overflow/i.test(message)) return 'stack';
  return undefined;
}

function failureOf(handle: QuickJSHandle): SandboxFailure {
  const e = vm.dump(handle) as Record<string, unknown> | string | null;
  if (e === null || typeof e !== 'object')
    return { name: 'Error', message: `macro threw a non-error value: ${JSON.stringify(e)}` };
  const message = String(e.message ?? '');
  const out: SandboxFailure = { name: String(e.name ?? 'Error'), message };
  if (typeof e.code === 'string') out.code = e.code;
  if (e.details && typeof e.details === 'object')
    out.details = e.details as Record<string, unknown>;
  if (typeof e.line === 'number' && typeof e.column === 'number') {
    out.line = e.line;
    out.column = e.column;
  } else {
    const escaped = init.filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(String(e.stack ?? ''));
    if (m) {
      out.line = Number(m[1]);
      out.column = Number(m[2]);
    }
  }
  const limit = limitOf(message);
  if (limit) out.limit = limit;
  return out;
}

function finish(result: { ok: true } | { ok: false; error: SandboxFailure }): void {
  if (finished) return;
  finished = true;
  send(result.ok ? { type: 'done', ok: true } : { type: 'done', ok: false, error: result.error });
  port.close();
}

let modulePromise: QuickJSHandle | null = null;

/** Runs queued promise jobs, then reports the module's end once it settled. */
function pump(): void {
  if (finished) return;
  const jobs = rt.executePendingJobs();
  if (jobs.error) {
    const failure = failureOf(jobs.error);
    jobs.error.dispose();
    return finish({ ok: false, error: failure });
  }
  if (stopReason) {
    return finish({
      ok: false,
      error: { name: 'InternalError', message: 'interrupted', limit: stopReason },
    });
  }
  // While a host request is outstanding its answer pumps again: check the module then.
  if (modulePromise && pending.size === 0) {
    const state = vm.getPromiseState(modulePromise);
    if (state.type === 'fulfilled') {
      state.value.dispose();
      return finish({ ok: true });
    } else if (state.type === 'rejected') {
      const failure = failureOf(state.error);
      state.error.dispose();
      return finish({ ok: false, error: failure });
    }
  }
  // Nothing left to run until the host answers.
  if (init.reportIdle) send({ type: 'idle' });
}

port.on('message', (m: SandboxReply) => {
  const deferred = pending.get(m.id);
  if (!deferred || finished) return;
  pending.delete(m.id);
  let h: QuickJSHandle;
  if (!m.ok) {
    h = vm.newString(m.errorJson);
    deferred.reject(h);
  } else if ('pixels' in m) {
    const p = m.pixels;
    h = vm.newArrayBuffer(p.buffer.slice(p.byteOffset, p.byteOffset + p.byteLength));
    deferred.resolve(h);
  } else {
    h = vm.newString(m.json);
    deferred.resolve(h);
  }
  h.dispose();
  deferred.dispose();
  pump();
});

try {
  defineBridge();
  send({ type: 'ready' });
  const r = vm.evalCode(init.source, init.filename, { type: 'module', strict: true });
  if (r.error) {
    const failure = failureOf(r.error);
    r.error.dispose();
    finish({ ok: false, error: failure });
  } else {
    modulePromise = r.value;
    pump();
  }
} catch (err) {
  finish({ ok: false, error: { name: 'Error', message: (err as Error).message } });
}
