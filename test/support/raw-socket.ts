/**
 * Raw TCP clients for hostile-input tests: bytes no HTTP or WebSocket library would send
 * (unparsable request lines, `//` upgrades, unmasked or oversized frames).
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * Writes `bytes` to 127.0.0.1:`port`, then collects everything the server sends until it
 * closes the connection or `timeoutMs` passes (then the socket is destroyed). Never rejects:
 * a reset is an answer too (`reset: true`).
 */
export function rawExchange(
  port: number,
  bytes: Buffer | string,
  timeoutMs = 2_000,
): Promise<{ reply: string; reset: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let reset = false;
    const socket = connect(port, '127.0.0.1');
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ reply: Buffer.concat(chunks).toString('latin1'), reset });
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => {
      reset = true;
      done();
    });
    socket.on('close', done);
    socket.on('connect', () => socket.write(bytes));
  });
}

/** A WebSocket upgrade request for `path` on `port` with extra header lines. */
export function upgradeRequest(
  port: number,
  path = '/api/ws',
  headers: Record<string, string> = {},
): string {
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return lines.join('\r\n') + '\r\n\r\n';
}

/**
 * One WebSocket frame (RFC 6455 §5.2). Clients must mask; `mask: false` builds the
 * protocol error a server has to survive. `declaredLength` lies about the payload size.
 */
export function wsFrame(
  opcode: number,
  payload: Buffer,
  opts: { mask?: boolean; fin?: boolean; rsv?: number; declaredLength?: number } = {},
): Buffer {
  const { mask = true, fin = true, rsv = 0 } = opts;
  const len = opts.declaredLength ?? payload.length;
  const head: number[] = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)];
  const maskBit = mask ? 0x80 : 0;
  if (len < 126) head.push(maskBit | len);
  else if (len < 65536) head.push(maskBit | 126, len >> 8, len & 0xff);
  else {
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(len));
    head.push(maskBit | 127, ...big);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), payload]);
  const key = randomBytes(4);
  const masked = Buffer.from(payload.map((b, i) => b ^ key[i % 4]!));
  return Buffer.concat([Buffer.from(head), key, masked]);
}

/**
 * Completes a WebSocket handshake on a raw socket and resolves once the 101 has arrived, so
 * the caller can write frames by hand. The socket comes back paused with any frames that
 * followed the 101 still unread. Rejects when the server answers anything else.
 */
export function rawWebSocket(port: number, headers: Record<string, string>): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let head = '';
    const onData = (c: Buffer) => {
      head += c.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.pause();
      const end = head.indexOf('\r\n\r\n') + 4;
      if (end < head.length) socket.unshift(Buffer.from(head.slice(end), 'latin1'));
      if (head.startsWith('HTTP/1.1 101')) resolve(socket);
      else {
        socket.destroy();
        reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
      }
    };
    socket.on('data', onData);
    socket.on('error', reject);
    socket.on('connect', () => socket.write(upgradeRequest(port, '/api/ws', headers)));
  });
}

/** Resolves when `socket` has closed (the server hung up), or after `timeoutMs`. */
export function closed(socket: Socket, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve(true);
    const timer = setTimeout(() => resolve(false), timeoutMs);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.resume();
  });
}

/**
 * Collects what the server sends on `socket` until `done(bytes so far)` holds; rejects after
 * `timeoutMs` naming `what`.
 */
export function receiveUntil(
  socket: Socket,
  done: (data: Buffer) => boolean,
  what: string,
  timeoutMs = 2_000,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.off('data', onData);
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const onData = (c: Buffer) => {
      data = Buffer.concat([data, c]);
      if (!done(data)) return;
      clearTimeout(timer);
      socket.off('data', onData);
      resolve(data);
    };
    socket.on('data', onData);
    socket.resume();
  });
}
