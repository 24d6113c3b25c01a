/**
 * A GigE Vision control session: identity from the bootstrap registers, control channel
 * privilege (CCP) with a heartbeat, and the GenICam node map built from the device's own XML
 * (first URL register, `Local:` URLs only). Feature registers go over READREG/WRITEREG when
 * they are one aligned 32-bit word, READMEM/WRITEMEM otherwise.
 */
import { DisconnectedError, StateError, TimeoutError } from '../../errors';
import { NodeMap, type GenicamPort } from '../genicam/node-map';
import { decodeDeviceInfo, type GigeDeviceInfo } from './discovery';
import { Bootstrap, CCP_CONTROL, GvcpClient, type GvcpOptions } from './gvcp';

export interface XmlLocation {
  fileName: string;
  address: number;
  length: number;
}

/** Parses `Local:<file>;<hex address>;<hex length>[?SchemaVersion=…]`. */
export function parseXmlUrl(url: string): XmlLocation {
  const m = /^local:(?:\/\/\/)?([^;]+);(?:0x)?([0-9a-f]+);(?:0x)?([0-9a-f]+)/i.exec(url.trim());
  if (!m) {
    const scheme = /^(\w+):/.exec(url)?.[1] ?? 'none';
    throw new StateError(
      `GenICam XML URL "${url}" is not supported: only Local: URLs (XML in camera memory) are read, not ${scheme}:`,
      { url },
    );
  }
  return { fileName: m[1]!, address: parseInt(m[2]!, 16), length: parseInt(m[3]!, 16) };
}

export interface GigeControlOptions extends GvcpOptions {
  /** Heartbeat period; default one third of the camera's heartbeat timeout. */
  heartbeatMs?: number;
}

export class GigeControl {
  readonly nodeMap: NodeMap;
  private heartbeat: NodeJS.Timeout | null = null;
  private lostListeners: ((err: Error) => void)[] = [];
  private lost = false;

  private constructor(
    readonly gvcp: GvcpClient,
    readonly info: GigeDeviceInfo,
    readonly xml: XmlLocation,
    xmlData: Buffer,
  ) {
    const port: GenicamPort = {
      read: async (address, length) => {
        if (length !== 4 || address % 4) return gvcp.readMem(address, length);
        const out = Buffer.alloc(4);
        out.writeUInt32BE(await gvcp.readReg(address));
        return out;
      },
      write: async (address, data) => {
        if (data.length !== 4 || address % 4) return gvcp.writeMem(address, data);
        await gvcp.writeReg(address, data.readUInt32BE(0));
      },
    };
    this.nodeMap = NodeMap.fromXml(xmlData, port);
  }

  /** Connects, takes control privilege, starts the heartbeat and loads the node map. */
  static async open(o: GigeControlOptions): Promise<GigeControl> {
    const gvcp = await GvcpClient.open(o);
    try {
      const info = decodeDeviceInfo(await gvcp.readMem(0, 0xf8), o.address);
      await gvcp.writeReg(Bootstrap.ccp, CCP_CONTROL);
      if (((await gvcp.readReg(Bootstrap.ccp)) & CCP_CONTROL) === 0)
        throw new StateError(
          `GigE camera ${o.address}: control privilege refused (another application controls it)`,
        );
      const url = (await gvcp.readMem(Bootstrap.firstUrl, Bootstrap.urlSize))
        .toString('latin1')
        .replace(/\0.*$/s, '');
      const xml = parseXmlUrl(url);
      const data = await gvcp.readMem(xml.address, xml.length);
      const control = new GigeControl(gvcp, info, xml, data);
      const timeoutMs = await gvcp.readReg(Bootstrap.heartbeatTimeout);
      control.startHeartbeat(o.heartbeatMs ?? Math.max(100, Math.floor(timeoutMs / 3)));
      return control;
    } catch (err) {
      await gvcp.close();
      throw err instanceof TimeoutError ? wrapLost(o.address, err) : err;
    }
  }

  private startHeartbeat(periodMs: number): void {
    let busy = false;
    this.heartbeat = setInterval(() => {
      if (busy) return;
      busy = true;
      // Reading CCP is the heartbeat; a camera that stops answering is gone.
      this.gvcp
        .readReg(Bootstrap.ccp)
        .then((ccp) => {
          if ((ccp & CCP_CONTROL) === 0)
            this.markLost(
              new DisconnectedError(`GigE camera ${this.gvcp.address}: control privilege lost`),
            );
        })
        .catch((err: unknown) => this.markLost(wrapLost(this.gvcp.address, err)))
        .finally(() => (busy = false));
    }, periodMs);
    this.heartbeat.unref();
  }

  private markLost(err: Error): void {
    if (this.lost) return;
    this.lost = true;
    for (const l of this.lostListeners) l(err);
  }

  /** Called once when the heartbeat fails (camera gone or control taken away). */
  onLost(listener: (err: Error) => void): void {
    this.lostListeners.push(listener);
  }

  isLost(): boolean {
    return this.lost;
  }

  /** Stops the heartbeat, releases control (best effort) and closes the socket. */
  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    if (!this.lost) await this.gvcp.writeReg(Bootstrap.ccp, 0).catch(() => undefined);
    await this.gvcp.close();
  }
}

function wrapLost(address: string, err: unknown): Error {
  if (err instanceof DisconnectedError) return err;
  return new DisconnectedError(
    `GigE camera ${address} is not answering: ${(err as Error).message}`,
    { address },
  );
}
