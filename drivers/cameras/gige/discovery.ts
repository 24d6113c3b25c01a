/**
 * GigE Vision discovery: DISCOVERY_CMD to each given address (unicast, or a subnet
 * broadcast address), collecting DISCOVERY_ACKs for a fixed window. The ack payload is the
 * first 0xF8 bytes of the bootstrap registers.
 */
import dgram from 'node:dgram';
import os from 'node:os';
import { ProtocolError, ValidationError } from '../../errors';
import { Bootstrap, Cmd, GVCP_PORT, decodeAck, encodeCommand } from './gvcp';

export interface GigeDeviceInfo {
  /** The camera's current IP address (what it reports), and where the ack came from. */
  ip: string;
  from: string;
  mac: string;
  vendor: string;
  model: string;
  firmware: string;
  serial: string;
  userName: string;
}

const text = (b: Buffer, at: number, size: number) => {
  const s = b.subarray(at, at + size);
  const end = s.indexOf(0);
  return s.toString('latin1', 0, end < 0 ? s.length : end).trim();
};

/** Decodes a bootstrap block (discovery ack payload or a READMEM of 0..0xF8). */
export function decodeDeviceInfo(b: Buffer, from: string): GigeDeviceInfo {
  if (b.length < 0xf8)
    throw new ProtocolError(
      `GigE discovery answer from ${from} has ${b.length} bytes, expected 248`,
      {
        raw: b.toString('hex'),
      },
    );
  const mac = [
    ...b.subarray(Bootstrap.macHigh + 2, Bootstrap.macHigh + 4),
    ...b.subarray(Bootstrap.macLow, Bootstrap.macLow + 4),
  ]
    .map((x) => x.toString(16).padStart(2, '0'))
    .join(':');
  return {
    ip: [...b.subarray(Bootstrap.currentIp, Bootstrap.currentIp + 4)].join('.'),
    from,
    mac,
    vendor: text(b, Bootstrap.manufacturer, 32),
    model: text(b, Bootstrap.model, 32),
    firmware: text(b, Bootstrap.deviceVersion, 32),
    serial: text(b, Bootstrap.serial, 16),
    userName: text(b, Bootstrap.userName, 16),
  };
}

const ipToU32 = (ip: string) => ip.split('.').reduce((v, b) => v * 256 + Number(b), 0) >>> 0;
const u32ToIp = (v: number) => [24, 16, 8, 0].map((s) => (v >>> s) & 0xff).join('.');

/** IPv4 subnet broadcast address of a network interface (e.g. "eth0" → "192.168.1.255"). */
export function broadcastAddressOf(
  name: string,
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces(),
): string {
  const v4 = (interfaces[name] ?? []).find((i) => i.family === 'IPv4');
  if (!v4)
    throw new ValidationError(
      `network interface "${name}" has no IPv4 address (interfaces: ${Object.keys(interfaces).join(', ')})`,
    );
  return u32ToIp((ipToU32(v4.address) | ~ipToU32(v4.netmask)) >>> 0);
}

/** Subnet broadcast addresses of every external IPv4 interface. */
export function defaultBroadcastTargets(
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces(),
): string[] {
  return Object.entries(interfaces)
    .filter(([, infos]) => infos?.some((i) => i.family === 'IPv4' && !i.internal))
    .map(([name]) => broadcastAddressOf(name, interfaces));
}

export interface DiscoverOptions {
  /** Unicast camera addresses and/or broadcast addresses (e.g. 192.168.1.255). */
  addresses: string[];
  windowMs?: number;
  port?: number;
}

/** Every camera that answered within the window, once per MAC address. */
export async function discoverGige(o: DiscoverOptions): Promise<GigeDeviceInfo[]> {
  const socket = dgram.createSocket('udp4');
  const found = new Map<string, GigeDeviceInfo>();
  await new Promise<void>((r) => socket.bind(0, r));
  socket.setBroadcast(true);
  socket.on('message', (msg, rinfo) => {
    try {
      const ack = decodeAck(msg);
      if (ack.answer !== Cmd.discovery + 1 || ack.status !== 0) return;
      const info = decodeDeviceInfo(ack.payload, rinfo.address);
      if (!found.has(info.mac)) found.set(info.mac, info);
    } catch {
      // a malformed answer is not a camera we can use
    }
  });
  try {
    // flags: acknowledge required (0x01) + the device may answer by broadcast (0x10)
    const cmd = encodeCommand(Cmd.discovery, 1, Buffer.alloc(0), 0x11);
    for (const address of o.addresses) socket.send(cmd, o.port ?? GVCP_PORT, address);
    await new Promise((r) => setTimeout(r, o.windowMs ?? 300));
  } finally {
    socket.close();
  }
  return [...found.values()];
}
