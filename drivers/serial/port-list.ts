/**
 * Serial port discovery: `SerialPort.list()` (udev on Linux) merged with a scan of
 * device files that works without udev (containers, minimal installs). Linux scan:
 * `/dev/tty{USB,ACM,AMA,XRUSB,WCH}N`, `/dev/rfcommN`, `/dev/ttySN` only when sysfs says
 * it is a real port (subsystem not `platform`, the placeholder 8250 UARTs — the rule
 * pyserial's list_ports uses), plus `/dev/serial/by-id` names; macOS: `/dev/cu.*`.
 */
import { readdir, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { SerialPort } from 'serialport';

export interface SerialPortEntry {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
  /** Stable `/dev/serial/by-id/…` name, when there is one. */
  byId?: string;
  /** `system` = reported by SerialPort.list(); `scan` = found in the device directory. */
  source: 'system' | 'scan';
}

export interface PortListResult {
  ports: SerialPortEntry[];
  warnings: string[];
}

export interface PortListOptions {
  devDir?: string;
  sysClassTtyDir?: string;
  platform?: NodeJS.Platform;
  /** The system lister (default SerialPort.list), bounded by `systemTimeoutMs`. */
  system?: () => Promise<Omit<SerialPortEntry, 'source'>[]>;
  systemTimeoutMs?: number;
}

const LINUX_NAMES = /^(tty(USB|ACM|AMA|XRUSB|WCH)\d+|rfcomm\d+)$/;
const MAC_NAMES = /^cu\./;

async function safeReaddir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

async function isRealLegacyUart(sysDir: string, name: string): Promise<boolean> {
  try {
    const subsystem = await readlink(path.join(sysDir, name, 'device', 'subsystem'));
    return path.basename(subsystem) !== 'platform';
  } catch {
    return false;
  }
}

export async function scanDeviceFiles(options: PortListOptions = {}): Promise<SerialPortEntry[]> {
  const devDir = options.devDir ?? '/dev';
  const sysDir = options.sysClassTtyDir ?? '/sys/class/tty';
  const platform = options.platform ?? process.platform;
  if (platform === 'win32') return [];
  const out: SerialPortEntry[] = [];
  for (const name of (await safeReaddir(devDir)).sort()) {
    const match =
      platform === 'darwin'
        ? MAC_NAMES.test(name)
        : LINUX_NAMES.test(name) ||
          (/^ttyS\d+$/.test(name) && (await isRealLegacyUart(sysDir, name)));
    if (match) out.push({ path: path.join(devDir, name), source: 'scan' });
  }
  const byIdDir = path.join(devDir, 'serial', 'by-id');
  for (const link of await safeReaddir(byIdDir)) {
    try {
      const target = await realpath(path.join(byIdDir, link));
      const entry = out.find((e) => e.path === target);
      if (entry) entry.byId = path.join(byIdDir, link);
      else out.push({ path: target, byId: path.join(byIdDir, link), source: 'scan' });
    } catch {
      // dangling link: the adapter was just unplugged
    }
  }
  return out;
}

async function systemList(options: PortListOptions): Promise<Omit<SerialPortEntry, 'source'>[]> {
  const lister =
    options.system ??
    (async () =>
      (await SerialPort.list()).map((p) => ({
        path: p.path,
        ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}),
        ...(p.serialNumber ? { serialNumber: p.serialNumber } : {}),
        ...(p.vendorId ? { vendorId: p.vendorId } : {}),
        ...(p.productId ? { productId: p.productId } : {}),
      })));
  const timeoutMs = options.systemTimeoutMs ?? 3_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      lister(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** All serial ports found, system entries first (they carry USB details), scan-only ones after. */
export async function listSerialPorts(options: PortListOptions = {}): Promise<PortListResult> {
  const warnings: string[] = [];
  let system: Omit<SerialPortEntry, 'source'>[] = [];
  try {
    system = await systemList(options);
  } catch (err) {
    warnings.push(
      `system port list unavailable (${(err as Error).message}); showing ports found by scanning the device directory`,
    );
  }
  const ports: SerialPortEntry[] = system.map((p) => ({ ...p, source: 'system' }));
  for (const found of await scanDeviceFiles(options)) {
    const known = ports.find((p) => p.path === found.path);
    if (known) {
      if (found.byId) known.byId = found.byId;
    } else ports.push(found);
  }
  return { ports, warnings };
}
