/**
 * Opens a serial port with `serialport`, turning its open failures into one clear
 * DisconnectedError that names the port and says what to do.
 */
import { SerialPort } from 'serialport';
import { DisconnectedError } from '../errors';

export interface SerialSettings {
  path: string;
  baudRate: number;
  dataBits?: 5 | 6 | 7 | 8;
  stopBits?: 1 | 2;
  parity?: 'none' | 'even' | 'odd';
}

export type OpenFailure = 'not-found' | 'busy' | 'permission' | 'other';

export function classifyOpenError(message: string): OpenFailure {
  if (/no such file|ENOENT|not found|cannot find/i.test(message)) return 'not-found';
  if (/lock|busy|EBUSY|temporarily unavailable|EAGAIN/i.test(message)) return 'busy';
  if (/permission|EACCES|access denied/i.test(message)) return 'permission';
  return 'other';
}

const advice: Record<OpenFailure, string> = {
  'not-found': 'no such port; check the path (`npx aquila ports` lists the ports found)',
  busy: 'port is in use by another program or another device entry; close it there first',
  permission:
    'permission denied; add your user to the group owning the port (e.g. dialout) and log in again',
  other: 'the port could not be opened',
};

export function openError(path: string, cause: unknown): DisconnectedError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const kind = classifyOpenError(reason);
  return new DisconnectedError(`cannot open serial port ${path}: ${advice[kind]} (${reason})`, {
    path,
    failure: kind,
    reason,
  });
}

/** Opens the port (exclusive lock on POSIX), 8N1 without flow control unless told otherwise. */
export function openSerialPort(settings: SerialSettings): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    let port: SerialPort;
    try {
      port = new SerialPort({
        path: settings.path,
        baudRate: settings.baudRate,
        dataBits: settings.dataBits ?? 8,
        stopBits: settings.stopBits ?? 1,
        parity: settings.parity ?? 'none',
        rtscts: false,
        xon: false,
        xoff: false,
        lock: true,
        autoOpen: false,
      });
    } catch (err) {
      reject(openError(settings.path, err));
      return;
    }
    port.open((err) => (err ? reject(openError(settings.path, err)) : resolve(port)));
  });
}
