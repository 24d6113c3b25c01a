/**
 * A TCP proxy in front of the test gateway, standing in for the network: optionally a link of
 * `bytesPerS` (client → gateway, shared by all connections), and `freeze()` to stop every byte
 * in both directions. A client that closes (or dies: its kernel still sends what it had
 * written, then FIN) has everything it sent delivered before the gateway side is closed.
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { until } from '../../support/wait';

export class TcpProxy {
  private frozen = false;
  private readonly sockets = new Set<net.Socket>();
  private readonly server: net.Server;
  /** When the shared link is next free (ms, performance.now()). */
  private linkFreeAtMs = 0;
  port = 0;

  constructor(
    target: URL,
    private readonly bytesPerS = Infinity,
  ) {
    this.server = net.createServer((client) => this.connect(client, target));
  }

  private connect(client: net.Socket, target: URL): void {
    const upstream = net.connect(Number(target.port), target.hostname);
    this.sockets.add(client);
    this.sockets.add(upstream);
    let sending = Promise.resolve();
    client.on('data', (chunk: Buffer) => {
      client.pause();
      sending = sending.then(async () => {
        const now = performance.now();
        this.linkFreeAtMs =
          Math.max(now, this.linkFreeAtMs) + (chunk.length / this.bytesPerS) * 1e3;
        if (this.linkFreeAtMs > now) await sleep(this.linkFreeAtMs - now);
        if (!upstream.write(chunk)) await new Promise((r) => upstream.once('drain', r));
        if (!this.frozen) client.resume();
      });
    });
    client.on('end', () => void sending.then(() => upstream.end()));
    upstream.pipe(client);
    for (const [s, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      s.on('error', () => other.destroy());
      s.on('close', () => this.sockets.delete(s));
    }
    upstream.on('close', () => client.destroy());
    // The client is gone: let the gateway's answer and its close through to nobody.
    client.on('close', () => upstream.resume());
    if (this.frozen) for (const s of [client, upstream]) s.pause();
  }

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Resolves once every connection has closed, each having delivered what it carried. */
  async drained(timeoutMs = 20_000): Promise<void> {
    await until('every proxied connection closed', () => this.sockets.size === 0, timeoutMs);
  }

  freeze(): void {
    this.frozen = true;
    for (const s of this.sockets) {
      s.unpipe();
      s.pause();
    }
  }

  /** Connections frozen were abandoned by their clients: they are closed; new ones flow. */
  thaw(): void {
    this.frozen = false;
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
