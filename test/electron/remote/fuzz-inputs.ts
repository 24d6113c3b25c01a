/**
 * fast-check generators of hostile input for the remote server's fuzz test: raw HTTP
 * requests (odd methods, paths, headers, cookies, bodies; then byte-level mutations),
 * WebSocket messages, and raw WebSocket frames.
 */
import fc from 'fast-check';
import { commands } from '../../../electron/api/contract';
import { wsFrame } from '../../support/raw-socket';

/** Everything the generators need to know about the host under test. */
export interface FuzzTarget {
  port: number;
  token: string;
}

/** The real names plus names that exist on every object's prototype. */
const commandNames = [...Object.keys(commands), '__proto__', 'constructor', 'toString'];

/** Bodies that pass validation for some commands, to be mutated (no run.start: no datasets). */
const validArgs: [string, unknown][] = [
  ['stage.moveTo', { xUm: 10, yUm: -20 }],
  ['stage.moveBy', { dxUm: 1, dyUm: 1 }],
  ['focus.moveTo', { zUm: 1 }],
  ['laser.setPower', { laserId: 'laser488', powerMw: 5 }],
  ['laser.setEmission', { laserId: 'laser640', on: false }],
  ['camera.setExposure', { exposureMs: 5 }],
  ['camera.setRoi', { roi: null }],
  ['channel.apply', { name: 'GFP' }],
  ['plan.estimate', { plan: { stage_positions: [[0, 0, 0]], channels: ['GFP'] } }],
  ['laser.allOff', {}],
  ['estop', {}],
  ['safety.reset', {}],
];

const oddPaths = fc.constantFrom(
  '/',
  '//',
  '///api/state',
  '//api/state',
  '/api/state',
  '/api/commands',
  '/api/ws',
  '/api/commands/',
  '/api/commands/%',
  '/api/commands/%E0',
  '/api/commands/%E0%A4%A',
  '/api/commands/stage.moveTo',
  '/api/commands/../state',
  '/api/commands/%2e%2e%2fstate',
  '/%',
  '/%E0',
  '/%00',
  '/index.html',
  '/index.html?token=%E0',
  '/../../../../etc/passwd',
  '/..%2f..%2f..%2fetc%2fpasswd',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/\\..\\..\\etc\\passwd',
  '/assets/../index.html',
  '/link-out/secret.txt',
  '/?token=',
  '/?token=%E0',
  '/?token=%',
  '/\u00e9\u4e2d\ud83d\ude00',
  '*',
  '',
  'http://127.0.0.1/api/state',
  '@evil/x',
  '/api/state#frag',
  '/api/state?x=%zz&&&==',
);

const paths = fc.oneof(
  { weight: 5, arbitrary: oddPaths },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...commandNames).map((n) => `/api/commands/${n}`),
  },
  { weight: 2, arbitrary: fc.webPath() },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((s) => '/' + s) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1_000, max: 40_000 }).map((n) => '/' + 'a/'.repeat(n / 2) + '%E0'),
  },
);

const methods = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('GET', 'POST') },
  {
    weight: 2,
    arbitrary: fc.constantFrom('PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT'),
  },
  { weight: 1, arbitrary: fc.constantFrom('get', 'G ET', 'FOO', '', 'GET\x00', 'ÄÖÜ') },
);

function headerArb(t: FuzzTarget) {
  const host = fc.constantFrom(
    `127.0.0.1:${t.port}`,
    `localhost:${t.port}`,
    `[::1]:${t.port}`,
    'evil.example',
    '127.0.0.1.nip.io',
    '',
    '[',
    '%E0',
  );
  const authorization = fc.constantFrom(
    `Bearer ${t.token}`,
    `bearer ${t.token}`,
    `BEARER  ${t.token}`,
    'Bearer wrong-token-000000000',
    'Bearer',
    'Bearer ',
    'Basic Zm9vOmJhcg==',
    `Bearer ${t.token}x`,
    `Bearer ${t.token.slice(0, -1)}`,
  );
  const cookie = fc.constantFrom(
    `aquila_session=${t.token}`,
    'aquila_session=%E0',
    'aquila_session=%',
    'aquila_session=',
    '=; ;;=x',
    `a=%E0; aquila_session=${encodeURIComponent(t.token)}`,
    '__proto__=x; constructor=y',
    'aquila_session=wrong',
  );
  const origin = fc.constantFrom(
    `http://127.0.0.1:${t.port}`,
    'http://evil.example',
    'null',
    '%',
    'http://[',
  );
  return fc.record(
    {
      host,
      authorization,
      cookie,
      origin,
      'content-type': fc.constantFrom('application/json', 'text/plain', '', '\x00'),
      'x-junk': fc.string({ unit: 'grapheme', maxLength: 30 }),
      'transfer-encoding': fc.constantFrom('chunked', 'gzip', 'chunked, chunked'),
    },
    { requiredKeys: [] },
  );
}

const bodies = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 3, arbitrary: fc.constantFrom(...validArgs).map(([, a]) => JSON.stringify(a)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{"__proto__":{"polluted":1}}',
      '{"constructor":{"prototype":{"x":1}}}',
      '['.repeat(5_000),
      '{"a":' + '1'.repeat(10_000) + '}',
      '"\\ud800"',
    ),
  },
);

/**
 * One raw HTTP/1.1 request with a Content-Length that matches its body. A generated
 * Transfer-Encoding next to it makes the framing ambiguous (the smuggling case), which the
 * server must refuse.
 */
function requestArb(t: FuzzTarget) {
  return fc
    .record({ method: methods, path: paths, headers: headerArb(t), body: bodies })
    .map(({ method, path, headers, body }) => {
      const bytes = Buffer.from(body, 'utf8');
      const lines = [`${method} ${path} HTTP/1.1`];
      for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
      lines.push(`Content-Length: ${bytes.length}`, 'Connection: close');
      return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), bytes]);
    });
}

/** Random byte flips, insertions, deletions and truncation of `bytes`. */
function mutate(bytes: fc.Arbitrary<Buffer>) {
  const op = fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('flip', 'insert', 'delete', 'truncate', 'dup'),
    byte: fc.integer({ min: 0, max: 255 }),
  });
  return fc.tuple(bytes, fc.array(op, { minLength: 1, maxLength: 6 })).map(([b, ops]) => {
    let out = Buffer.from(b);
    for (const o of ops) {
      const i = out.length ? o.at % out.length : 0;
      if (o.kind === 'flip') out[i] = o.byte;
      else if (o.kind === 'insert')
        out = Buffer.concat([out.subarray(0, i), Buffer.from([o.byte]), out.subarray(i)]);
      else if (o.kind === 'delete') out = Buffer.concat([out.subarray(0, i), out.subarray(i + 1)]);
      else if (o.kind === 'truncate') out = out.subarray(0, i);
      else out = Buffer.concat([out.subarray(0, i), out.subarray(i / 2)]);
    }
    return out;
  });
}

export interface HttpCase {
  bytes: Buffer;
  /** Mutated: the request may be incomplete, so the client half-closes after writing. */
  mutated: boolean;
}

export function httpCases(t: FuzzTarget): fc.Arbitrary<HttpCase> {
  return fc.oneof(
    { weight: 3, arbitrary: requestArb(t).map((bytes) => ({ bytes, mutated: false })) },
    { weight: 2, arbitrary: mutate(requestArb(t)).map((bytes) => ({ bytes, mutated: true })) },
  );
}

/** Text messages for an authorised WebSocket client. */
export const wsMessages: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({
        id: fc.oneof(fc.integer(), fc.string({ maxLength: 70 }), fc.double()),
        name: fc.oneof(fc.constantFrom(...commandNames), fc.string({ maxLength: 70 })),
        args: fc.oneof<fc.Arbitrary<unknown>[]>(
          fc.jsonValue({ maxDepth: 3 }),
          fc.constantFrom(...validArgs).map(([, a]) => a),
        ),
      })
      .map((m) => JSON.stringify({ type: 'call', ...m })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...validArgs), fc.nat())
      .map(([[name, args], id]) => JSON.stringify({ type: 'call', id, name, args })),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.boolean().map((enabled) => JSON.stringify({ type: 'frames', enabled })),
      fc.integer().map((seq) => JSON.stringify({ type: 'frame.ack', seq })),
    ),
  },
  { weight: 2, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
);

/** Byte sequences written on a raw socket right after a WebSocket handshake. */
export const rawFrames: fc.Arbitrary<Buffer> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .record({
        opcode: fc.integer({ min: 0, max: 15 }),
        payload: fc.uint8Array({ maxLength: 300 }),
        mask: fc.boolean(),
        fin: fc.boolean(),
        rsv: fc.integer({ min: 0, max: 7 }),
      })
      .map(({ opcode, payload, ...o }) => wsFrame(opcode, Buffer.from(payload), o)),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ opcode: fc.constantFrom(1, 2, 8, 9), declared: fc.nat({ max: 2 ** 40 }) })
      .map(({ opcode, declared }) =>
        wsFrame(opcode, Buffer.alloc(8), { declaredLength: declared }),
      ),
  },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.from(b)),
  },
  {
    weight: 2,
    arbitrary: mutate(
      fc
        .constantFrom(...validArgs)
        .map(([name, args]) =>
          wsFrame(1, Buffer.from(JSON.stringify({ type: 'call', id: 1, name, args }))),
        ),
    ),
  },
);
