/**
 * `aquila ports [--json]` — serial ports on this machine (works without udev).
 * `aquila ports --probe PATH` — opens and closes PATH, saying clearly if it is missing,
 * busy (another program or device entry has it) or not permitted.
 */
import { listSerialPorts } from '../../../drivers/serial/port-list';
import { openSerialPort } from '../../../drivers/serial/open-port';
import { ValidationError } from '../../../drivers/errors';
import { flagString, parseArgs } from '../args';
import type { CliCommand, CliIo } from '../types';

const USAGE = 'aquila ports [--json] | aquila ports --probe PATH';

async function probe(path: string, io: CliIo): Promise<number> {
  const port = await openSerialPort({ path, baudRate: 9_600 });
  await new Promise<void>((resolve) => port.close(() => resolve()));
  io.out(`${path}: opens fine (not in use)`);
  return 0;
}

export const command: CliCommand = {
  name: 'ports',
  usage: USAGE,
  summary: 'List serial ports (USB adapters, built-in UARTs); --probe PATH checks one',
  async run(argv, io) {
    const args = parseArgs(argv, { values: ['probe'], booleans: ['json'] });
    if (args.positionals.length > 0)
      throw new ValidationError(`unexpected argument "${args.positionals[0]}"; usage: ${USAGE}`);
    const probeAt = flagString(args, 'probe');
    if (probeAt !== undefined) return probe(probeAt, io);
    const { ports, warnings } = await listSerialPorts();
    if (args.flags.has('json')) {
      io.out(JSON.stringify({ ports, warnings }, null, 2));
      return 0;
    }
    for (const w of warnings) io.err(`note: ${w}`);
    if (ports.length === 0) {
      io.out('No serial ports found. Is the adapter plugged in (and its driver loaded)?');
      return 0;
    }
    for (const p of ports) {
      const usb = p.vendorId ? ` usb ${p.vendorId}:${p.productId ?? '?'}` : '';
      const who = [p.manufacturer, p.serialNumber && `serial ${p.serialNumber}`]
        .filter(Boolean)
        .join(', ');
      io.out(`${p.path}${who ? `  ${who}` : ''}${usb}${p.byId ? `  (${p.byId})` : ''}`);
    }
    return 0;
  },
};
