/**
 * Inter-packet delay (GigE Vision SCPD register, GevSCPD) from what the stream thread measured:
 * when the kernel dropped stream packets because the socket buffer was full (Linux: the
 * socket's `drops` in /proc/net/udp, so lost network packets do not count), the camera is
 * asked to space its packets so that a burst arrives no faster than the host drained it.
 * Delay per packet = packetSize / (margin × drain rate) − packetSize / burst arrival rate,
 * in ticks of the camera's timestamp tick frequency.
 */
import { readFileSync } from 'node:fs';
import { Bootstrap, type GvcpClient } from './gvcp';
import type { StreamStats } from './gvsp-stream';

/** Receive drops of the IPv4 UDP socket bound to `port` (Linux); undefined elsewhere. */
export function socketDrops(port: number): number | undefined {
  let table: string;
  try {
    table = readFileSync('/proc/net/udp', 'utf8');
  } catch {
    return undefined;
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols[1]?.endsWith(`:${hexPort}`)) return Number(cols[cols.length - 1]);
  }
  return undefined;
}

export interface DrainStats {
  /** Bytes the stream thread took in per second of its busy time. */
  drainBytesPerS: number;
  /** Bytes per second within a frame's burst, first packet to last. */
  burstBytesPerS: number;
}

/** Ticks of delay between packets so bursts arrive at `margin` of the drain rate; 0: none needed. */
export function packetDelayTicks(
  packetSize: number,
  stats: DrainStats,
  tickHz: number,
  margin = 0.8,
): number {
  if (!(stats.drainBytesPerS > 0) || !(stats.burstBytesPerS > 0) || !(tickHz > 0)) return 0;
  const seconds = packetSize / (margin * stats.drainBytesPerS) - packetSize / stats.burstBytesPerS;
  return seconds > 0 ? Math.min(0xffffffff, Math.ceil(seconds * tickHz)) : 0;
}

/** The camera's timestamp tick frequency (bootstrap 0x093C high, 0x0940 low), Hz. */
export async function tickFrequency(gvcp: GvcpClient): Promise<number> {
  const high = await gvcp.readReg(Bootstrap.tickFrequencyHigh);
  const low = await gvcp.readReg(Bootstrap.tickFrequencyLow);
  return high * 2 ** 32 + low;
}

/**
 * Raises the camera's packet delay when the stream socket dropped packets since the last
 * stats (never lowers it). A camera that refuses the register is left alone after one warning.
 */
export class PacketPacer {
  /** The delay the camera has now, in ticks (as read back). */
  ticks = 0;
  private lastDrops: number | undefined;
  private disabled: boolean;
  private busy = false;

  constructor(
    private readonly gvcp: GvcpClient,
    private readonly packetSize: number,
    private readonly tickHz: number,
    private readonly warn: (message: string) => void,
  ) {
    this.disabled = !(tickHz > 0);
  }

  static async open(
    gvcp: GvcpClient,
    packetSize: number,
    warn: (message: string) => void,
  ): Promise<PacketPacer> {
    const tickHz = await tickFrequency(gvcp).catch(() => 0);
    return new PacketPacer(gvcp, packetSize, tickHz, warn);
  }

  async onStats(stats: StreamStats): Promise<void> {
    const before = this.lastDrops;
    this.lastDrops = stats.socketDrops;
    if (this.disabled || this.busy || before === undefined || stats.socketDrops === undefined)
      return;
    const dropped = stats.socketDrops - before;
    if (dropped <= 0) return;
    const ticks = packetDelayTicks(this.packetSize, stats, this.tickHz);
    if (ticks <= this.ticks) return;
    this.busy = true;
    try {
      await this.gvcp.writeReg(Bootstrap.scp0PacketDelay, ticks);
      this.ticks = await this.gvcp.readReg(Bootstrap.scp0PacketDelay);
    } catch (err) {
      this.disabled = true;
      this.warn(`the camera refused a packet delay (GevSCPD): ${(err as Error).message}`);
      return;
    } finally {
      this.busy = false;
    }
    const mb = (b: number) => (b / 1e6).toFixed(0);
    this.warn(
      `the socket buffer dropped ${dropped} stream packets: packet delay (GevSCPD) set to ${this.ticks} ticks (${((this.ticks / this.tickHz) * 1e6).toFixed(1)} µs); the host drained ${mb(stats.drainBytesPerS)} MB/s, bursts arrived at ${mb(stats.burstBytesPerS)} MB/s`,
    );
  }
}
