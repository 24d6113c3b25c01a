/** Starts a real host + remote server on a free loopback port with a small simulated microscope. */
import { WebSocket } from 'ws';
import { parseConfig } from '../../electron/config/load';
import { createHost, type Host } from '../../electron/host/host';
import { silentLogger } from '../../electron/host/logger';
import {
  startRemoteServer,
  type RemoteServer,
  type RemoteServerOptions,
} from '../../electron/remote/http-server';
import type { HostOptions } from '../../electron/host/host';
import { tempDir } from './temp-dir';
import type { HostMessage } from '../../electron/api/messages';

export function smallSimConfig(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Test scope',
    devices: [
      { id: 'stage', kind: 'xy-stage', driver: 'sim', options: { speedUmPerS: 20_000 } },
      { id: 'focus', kind: 'z-drive', driver: 'sim', options: { speedUmPerS: 5_000 } },
      {
        id: 'laser488',
        kind: 'laser',
        driver: 'sim',
        options: { wavelengthNm: 488, maxPowerMw: 100 },
      },
      {
        id: 'laser640',
        kind: 'laser',
        driver: 'sim',
        options: { wavelengthNm: 640, maxPowerMw: 100 },
      },
      {
        id: 'camera',
        kind: 'camera',
        driver: 'sim',
        options: { widthPx: 256, heightPx: 256, pixelSizeUm: 0.2 },
      },
    ],
    limits: {
      xUm: { min: -1000, max: 1000 },
      yUm: { min: -1000, max: 1000 },
      zUm: { min: -50, max: 50 },
    },
    channels: [{ name: 'GFP', laserId: 'laser488', powerMw: 20, exposureMs: 10 }],
    sim: { seed: 3, cellCount: 200, slideHalfWidthUm: 300 },
    ...overrides,
  };
}

export interface HostFixture {
  host: Host;
  server: RemoteServer;
  token: string;
  /** The host's and server's data folder (audit/, users.json). */
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Host and server keep their files (audit trail, users.json) in a fresh temp folder. The
 * login throttle is off unless `server` sets it: most suites send wrong tokens on purpose.
 */
export async function startTestHost(
  config: object = smallSimConfig(),
  uiRoot = '/nonexistent-ui',
  options: { host?: HostOptions; server?: Partial<RemoteServerOptions> } = {},
): Promise<HostFixture> {
  const dataDir = tempDir('aquila-home-');
  const host = await createHost(
    { path: '/test/config.json', config: parseConfig(JSON.stringify(config), 'test') },
    { log: silentLogger, dataDir, ...options.host },
  );
  const token = 'test-token-0123456789';
  const server = await startRemoteServer({
    host,
    token,
    port: 0,
    uiRoot,
    dataDir,
    maxLoginFailures: Number.MAX_SAFE_INTEGER,
    loginFailureDelayMs: 0,
    ...options.server,
  });
  return {
    host,
    server,
    token,
    dataDir,
    async close() {
      await server.close();
      await host.shutdown('test end');
    },
  };
}

/** A WebSocket client that records every message; binary frames are kept as Buffers. */
export class TestClient {
  readonly messages: HostMessage[] = [];
  readonly frames: Buffer[] = [];
  private nextId = 1;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary)
        this.frames.push(Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]));
      else this.messages.push(JSON.parse(data.toString()) as HostMessage);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async connect(
    fx: HostFixture,
    headers: Record<string, string> = { authorization: `Bearer ${fx.token}` },
  ): Promise<TestClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${fx.server.port}/api/ws`, { headers });
    const client = new TestClient(ws); // listen before 'open': the hello may arrive with the upgrade
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  /** Waits until `pred` holds over the received messages, or fails after `ms`. */
  async until(pred: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pred()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  async call(name: string, args: unknown = {}): Promise<Extract<HostMessage, { type: 'result' }>> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ type: 'call', id, name, args }));
    let found: Extract<HostMessage, { type: 'result' }> | undefined;
    await this.until(
      () => {
        found = this.messages.find(
          (m): m is Extract<HostMessage, { type: 'result' }> => m.type === 'result' && m.id === id,
        );
        return !!found;
      },
      10_000,
      `result of ${name}`,
    );
    return found!;
  }

  send(msg: unknown): void {
    this.ws.send(JSON.stringify(msg));
  }

  close(): void {
    this.ws.close();
  }
}
