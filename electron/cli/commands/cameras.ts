/**
 * `aquila cameras [--json] [--address IP[,IP…]] [--interface NAME[,NAME…]] [--window MS]` —
 * GigE Vision cameras that answer discovery: at the given addresses, and by subnet broadcast
 * on the given interfaces (default, when no address is given: every external IPv4 interface);
 * and USB3 Vision cameras plugged in (by USB class, through node-usb). When USB cannot be
 * searched (no USB bus, no permission) it says why instead of failing.
 */
import {
  broadcastAddressOf,
  defaultBroadcastTargets,
  discoverGige,
} from '../../../drivers/cameras/gige/discovery';
import { nodeUsbBackend } from '../../../drivers/cameras/u3v/node-usb-backend';
import type { UsbBackend, UsbDeviceInfo } from '../../../drivers/cameras/u3v/usb-transport';
import { ValidationError } from '../../../drivers/errors';
import { flagInt, flagString, parseArgs } from '../args';
import type { CliCommand } from '../types';

const USAGE =
  'aquila cameras [--json] [--address IP[,IP…]] [--interface NAME[,NAME…]] [--window MS]';

const list = (v: string | undefined) =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

const hex4 = (v: number) => v.toString(16).padStart(4, '0');

async function listUsb(usb: UsbBackend): Promise<{ devices: UsbDeviceInfo[]; error?: string }> {
  try {
    return { devices: await usb.list() };
  } catch (err) {
    return { devices: [], error: (err as Error).message };
  }
}

/** The command over a given USB backend (tests pass the simulator). */
export function camerasCommand(usbBackend: () => UsbBackend): CliCommand {
  return {
    name: 'cameras',
    usage: USAGE,
    summary: 'Find GigE Vision cameras (GVCP discovery) and USB3 Vision cameras (USB class)',
    async run(argv, io) {
      const args = parseArgs(argv, {
        values: ['address', 'interface', 'window'],
        booleans: ['json'],
      });
      if (args.positionals.length > 0)
        throw new ValidationError(`unexpected argument "${args.positionals[0]}"; usage: ${USAGE}`);
      const addresses = list(flagString(args, 'address'));
      for (const a of addresses)
        if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(a))
          throw new ValidationError(`--address: "${a}" is not an IPv4 address; usage: ${USAGE}`);
      const interfaces = list(flagString(args, 'interface'));
      const targets = [
        ...addresses,
        ...interfaces.map((name) => broadcastAddressOf(name)),
        ...(interfaces.length === 0 && addresses.length === 0 ? defaultBroadcastTargets() : []),
      ];
      const [found, usb] = await Promise.all([
        discoverGige({ addresses: targets, windowMs: flagInt(args, 'window', 500, 10_000) }),
        listUsb(usbBackend()),
      ]);
      if (args.flags.has('json')) {
        io.out(
          JSON.stringify(
            {
              gige: found,
              asked: targets,
              usb3: usb.devices,
              ...(usb.error ? { usbError: usb.error } : {}),
            },
            null,
            2,
          ),
        );
        return 0;
      }
      if (found.length === 0)
        io.out(`No GigE Vision camera answered (asked ${targets.join(', ') || 'nowhere'}).`);
      for (const c of found)
        io.out(
          `gige-vision  ${c.ip}  ${c.vendor} ${c.model}  serial ${c.serial}  firmware ${c.firmware}  mac ${c.mac}` +
            (c.from !== c.ip ? `  (answered from ${c.from})` : ''),
        );
      if (usb.error) io.out(`USB3 Vision cameras could not be listed: ${usb.error}`);
      else if (usb.devices.length === 0) io.out('No USB3 Vision camera is plugged in.');
      for (const d of usb.devices)
        io.out(
          `usb3-vision  ${hex4(d.vendorId)}:${hex4(d.productId)}  ${d.manufacturer ?? '?'} ${d.product ?? '?'}  serial ${d.serial ?? '?'}  at ${d.location}`,
        );
      return 0;
    },
  };
}

export const command = camerasCommand(nodeUsbBackend);
