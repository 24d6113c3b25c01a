/**
 * Stream packet size negotiation (GigE Vision SCPS register): the largest packet that reaches
 * this host unfragmented. The upper bound is the smallest of the configured size, the MTU of
 * the local interface that receives the stream and MAX_PACKET; sizes
 * count the IP and UDP headers. When the camera fires test packets (SCPS bit 31, with "do not
 * fragment", bit 30), a binary search between 576 and that bound finds the largest one that
 * arrives; a camera that sends no test packet at all (probe at 576 unanswered) gets the bound.
 */
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { GvcpClient } from './gvcp';
import { Bootstrap } from './gvcp';

export const MIN_PACKET = 576;
/**
 * Largest size chosen (the config allows no more): above about 65000 B a loopback datagram's
 * kernel buffer charge doubles, and measured here 65535 B packets lost about 7× as many
 * packets as 65000 B ones from the same socket buffer.
 */
export const MAX_PACKET = 65_000;
const FIRE_TEST = 0x80000000;
const DO_NOT_FRAGMENT = 0x40000000;
/** IP (20) + UDP (8): a packet of size S arrives as a datagram of S − 28 bytes. */
const IP_UDP = 28;

/** MTU of the interface holding `address` (Linux sysfs); undefined where it cannot be read. */
export function interfaceMtu(address: string): number | undefined {
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
    if (!addrs?.some((a) => a.address === address)) continue;
    try {
      const mtu = Number(readFileSync(`/sys/class/net/${name}/mtu`, 'utf8'));
      return Number.isInteger(mtu) && mtu > 0 ? mtu : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export interface PacketSizeChoice {
  packetSize: number;
  /** How it was chosen, for the log. */
  how: string;
}

export interface NegotiateOptions {
  /** Local address the stream goes to. */
  host: string;
  /** Configured largest size; absent: the interface MTU. */
  max?: number;
  /** MTU when the interface's cannot be read (default 1500). */
  fallbackMtu?: number;
  /** Wait for one test packet. */
  probeMs?: number;
}

/** Finds the packet size and leaves SCPS set to it (test bits cleared); SCDA/SCP port are changed. */
export async function negotiatePacketSize(
  gvcp: GvcpClient,
  o: NegotiateOptions,
): Promise<PacketSizeChoice> {
  const mtu = interfaceMtu(o.host);
  const bound = Math.min(o.max ?? MAX_PACKET, mtu ?? o.fallbackMtu ?? 1500, MAX_PACKET);
  const boundWhy = `${o.max !== undefined ? `configured ${o.max} B, ` : ''}${mtu !== undefined ? `interface MTU ${mtu}` : `MTU unknown, assumed ${o.fallbackMtu ?? 1500}`}`;
  const probe = await TestPacketProbe.open(gvcp, o.host, o.probeMs ?? 150);
  let choice: PacketSizeChoice;
  try {
    if (await probe.arrives(bound)) {
      choice = { packetSize: bound, how: `test packet of ${bound} B arrived (${boundWhy})` };
    } else if (!(await probe.arrives(MIN_PACKET))) {
      choice = { packetSize: bound, how: `the camera sends no test packets; ${boundWhy}` };
    } else {
      let good = MIN_PACKET;
      let bad = bound;
      while (bad - good > 4) {
        const mid = (good + Math.floor((bad - good) / 2)) & ~3;
        if (await probe.arrives(mid)) good = mid;
        else bad = mid;
      }
      choice = { packetSize: good, how: `largest test packet that arrived (${boundWhy})` };
    }
  } finally {
    await probe.close();
  }
  await gvcp.writeReg(Bootstrap.scp0PacketSize, choice.packetSize);
  const granted = (await gvcp.readReg(Bootstrap.scp0PacketSize)) & 0xffff;
  if (granted !== choice.packetSize)
    choice = { packetSize: granted, how: `${choice.how}; the camera set ${granted} B` };
  return choice;
}

class TestPacketProbe {
  private waiting: ((length: number) => void) | null = null;

  private constructor(
    private readonly gvcp: GvcpClient,
    private readonly socket: dgram.Socket,
    private readonly probeMs: number,
  ) {
    socket.on('message', (msg) => this.waiting?.(msg.length));
  }

  static async open(gvcp: GvcpClient, host: string, probeMs: number): Promise<TestPacketProbe> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const ip = host.split('.').reduce((v, b) => v * 256 + Number(b), 0);
    try {
      await gvcp.writeReg(Bootstrap.scp0Destination, ip);
      await gvcp.writeReg(Bootstrap.scp0Port, socket.address().port);
    } catch (err) {
      socket.close();
      throw err;
    }
    return new TestPacketProbe(gvcp, socket, probeMs);
  }

  /** Fires one test packet of `size` and waits for it (a datagram of size − 28 bytes). */
  async arrives(size: number): Promise<boolean> {
    const got = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        resolve(false);
      }, this.probeMs);
      this.waiting = (length) => {
        if (length !== size - IP_UDP) return; // a late test packet of an earlier probe
        clearTimeout(timer);
        this.waiting = null;
        resolve(true);
      };
    });
    await this.gvcp.writeReg(Bootstrap.scp0PacketSize, (size | FIRE_TEST | DO_NOT_FRAGMENT) >>> 0);
    return got;
  }

  close(): Promise<void> {
    return new Promise((r) => this.socket.close(() => r()));
  }
}
