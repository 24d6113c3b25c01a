/** The typed errors the serial transport raises, with messages that name device, command and port. */
import { DisconnectedError, ProtocolError, TimeoutError } from '../errors';
import { printable } from './framing';

/** Nothing at all → TimeoutError; some bytes but no complete reply → ProtocolError (raw kept). */
export function noCompleteReplyError(
  label: string,
  command: string,
  timeoutMs: number,
  path: string,
  raw: string,
): TimeoutError | ProtocolError {
  const details = { command, timeoutMs, path, raw };
  if (raw !== '') {
    return new ProtocolError(
      `${label}: incomplete reply to "${printable(command)}" after ${timeoutMs} ms: "${printable(raw)}"`,
      details,
    );
  }
  return new TimeoutError(
    `${label}: no reply to "${printable(command)}" within ${timeoutMs} ms; check cable, power and baud rate`,
    details,
  );
}

export function unparseableReplyError(
  label: string,
  command: string,
  lines: string[],
  cause: Error,
): ProtocolError {
  return new ProtocolError(
    `${label}: cannot parse the reply to "${printable(command)}": ${cause.message}`,
    {
      command,
      raw: lines.join('\n'),
    },
  );
}

export function vanishedError(
  label: string,
  what: string,
  path: string,
  cause: Error,
): DisconnectedError {
  return new DisconnectedError(
    `${label}: ${what} on ${path} (${cause.message}); it re-opens when the port returns`,
    { path, reason: cause.message },
  );
}

export function notConnectedError(label: string, path: string): DisconnectedError {
  return new DisconnectedError(`${label}: not connected (port ${path})`, { path });
}
