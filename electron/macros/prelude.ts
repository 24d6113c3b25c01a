/**
 * The JavaScript evaluated in a fresh QuickJS context before the macro: it builds the one
 * global `aquila` from the command list (`stage.moveTo` → `aquila.stage.moveTo(params)`),
 * freezes it, and deletes the native bridge functions from the global object, so the macro
 * reaches the host only through `aquila`. A refused call rejects with an Error whose `code`,
 * `details` and `message` are the host's, located at the macro's calling line:column.
 */
export const PRELUDE_FILENAME = 'aquila-prelude.js';

/** Global names the prelude removes once captured. */
export const BRIDGE_GLOBALS = [
  '__aquilaRequest',
  '__aquilaRequestSync',
  '__aquilaSnapshot',
  '__aquilaPost',
  '__aquilaSpec',
] as const;

export const PRELUDE_SOURCE = `(() => {
  'use strict';
  const request = globalThis.__aquilaRequest;
  const requestSync = globalThis.__aquilaRequestSync;
  const fromSnapshot = globalThis.__aquilaSnapshot;
  const post = globalThis.__aquilaPost;
  const spec = JSON.parse(globalThis.__aquilaSpec);
  delete globalThis.__aquilaRequest;
  delete globalThis.__aquilaRequestSync;
  delete globalThis.__aquilaSnapshot;
  delete globalThis.__aquilaPost;
  delete globalThis.__aquilaSpec;
  // Shared memory has no use without threads; take it away with Atomics (absent already).
  delete globalThis.SharedArrayBuffer;
  const macroFile = spec.filename;
  const sync = new Set(spec.syncCommands);
  const snapshotSlots = spec.snapshotCommands;
  const getPrototypeOf = Object.getPrototypeOf;
  const keysOf = Object.keys;
  const ObjectProto = Object.prototype;
  // Snapshot answers are for calls without arguments: anything else is the host's to validate.
  function noArgs(args) {
    return args === undefined ||
      (typeof args === 'object' && args !== null && getPrototypeOf(args) === ObjectProto && keysOf(args).length === 0);
  }

  function site(err) {
    const lines = String(err.stack || '').split('\\n');
    for (const l of lines) {
      const m = /\\(([^()]*):(\\d+):(\\d+)\\)/.exec(l);
      if (m && m[1] === macroFile) return { line: Number(m[2]), column: Number(m[3]) };
    }
    return null;
  }
  function hostError(json, at) {
    const e = JSON.parse(json);
    const err = new Error(e.message);
    err.name = e.name || 'Error';
    err.code = e.code;
    if (e.details) err.details = e.details;
    const where = site(at);
    if (where) { err.line = where.line; err.column = where.column; }
    return err;
  }
  // One promise hop per call: QuickJS promise jobs are the bridge's main per-call cost.
  function ask(op, a, b, map) {
    const at = new Error();
    return request(op, a, b).then(map, (json) => { throw hostError(json, at); });
  }
  // Read-only calls block the sandbox until the host answers: no promise job per call, and the
  // call site (an Error's stack, the costliest part of a call) is only captured on a refusal.
  function askSync(op, a, b, map) {
    let json;
    try {
      json = requestSync(op, a, b);
    } catch (e) {
      return Promise.reject(hostError(e, new Error()));
    }
    try {
      return Promise.resolve(map(json));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  function toJson(v) {
    return JSON.stringify(v === undefined ? {} : v);
  }
  function frameHandle(f) {
    const frame = Object.assign({}, f, {
      pixels(roi) {
        return ask('pixels', f.seq, toJson(roi === undefined ? null : roi), (buf) => new Uint16Array(buf));
      },
    });
    return Object.freeze(frame);
  }
  function command(name) {
    const snap = name === 'camera.snap';
    const result = (json) => {
      const v = json === '' ? undefined : JSON.parse(json);
      return snap ? frameHandle(v) : v;
    };
    const slot = snapshotSlots.indexOf(name);
    const call = slot >= 0
      ? (args) => {
          const json = noArgs(args) ? fromSnapshot(slot) : undefined;
          if (json === undefined) return askSync('call', name, toJson(args), result);
          return Promise.resolve(result(json));
        }
      : sync.has(name)
        ? (args) => askSync('call', name, toJson(args), result)
        : (args) => ask('call', name, toJson(args), result);
    return Object.freeze(call);
  }
  function text(args) {
    return args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  }

  const api = {};
  for (const name of spec.commandNames) {
    const parts = name.split('.');
    let ns = api;
    for (const p of parts.slice(0, -1)) ns = ns[p] || (ns[p] = {});
    ns[parts[parts.length - 1]] = command(name);
  }
  api.log = (...args) => post('log', 'info', text(args));
  api.warn = (...args) => post('log', 'warn', text(args));
  api.progress = (fraction, message) => post('progress', Number(fraction), String(message === undefined ? '' : message));
  const nothing = () => undefined;
  const parse = (json) => JSON.parse(json);
  api.sleep = (ms) => ask('sleep', Number(ms), 0, nothing);
  api.state = () => askSync('state', 0, 0, parse);
  api.wait = (what) => ask('wait', String(what), 0, parse);
  api.params = spec.params;
  (function freeze(o) {
    Object.freeze(o);
    for (const v of Object.values(o)) if (v && typeof v === 'object') freeze(v);
  })(api);
  Object.defineProperty(globalThis, 'aquila', { value: api, writable: false, configurable: false, enumerable: true });
  Object.defineProperty(globalThis, 'console', {
    value: Object.freeze({
      log: api.log,
      info: api.log,
      warn: api.warn,
      error: (...args) => post('log', 'error', text(args)),
    }),
    writable: false,
    configurable: false,
  });
})();
`;
