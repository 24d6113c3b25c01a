/**
 * Supervisor side: after the host died, open each supervised port and switch the laser off
 * (then read emission back) or halt the stage controller. Ports are handled in parallel,
 * each within `DEVICE_BUDGET_MS`. Wire facts: /work/shared/protocols.md §1 (ASI `\` halts
 * every axis, `:N-21` = halted), §2 (Prior `K` stops all axes, answers `R`), §5 (OBIS
 * `SOUR:AM:STAT OFF`, `OK`/`ERR-n` with handshake on), §6 (Cobolt `l0` / `l?`).
 * Imports only the serial transport and the vendors' reply grammar: no host, no config.
 */
import { DeviceError, TimeoutError } from '../../../drivers/errors';
import {
  coboltReply,
  coboltVendorError,
  parseCoboltInt,
  replyValue,
} from '../../../drivers/lasers/cobolt/cobolt-protocol';
import {
  OBIS_REPLY,
  obisVendorError,
  parseOnOff,
  valueLine,
} from '../../../drivers/lasers/obis/obis-protocol';
import type { ReplyShape } from '../../../drivers/serial/framing';
import { SerialTransport, type SerialFraming } from '../../../drivers/serial/transport';
import { asiDeviceError } from '../../../drivers/stages/asi/asi-protocol';
import { isPriorError, priorDeviceError } from '../../../drivers/stages/prior/prior-protocol';
import { withTimeout } from '../with-timeout';
import type { SupervisedDevice } from './plan';

/** The most one port may take (open, off or halt, read-back), ms. */
export const DEVICE_BUDGET_MS = 3_000;
/** How long to retry opening a port the dying host may still hold for a moment, ms. */
const OPEN_RETRY_MS = 1_000;
const REPLY_TIMEOUT_MS = 500;

export type SafeOutcome = 'confirmed-off' | 'halted' | 'unconfirmed' | 'unreachable';

export interface SafeResult {
  ids: string[];
  role: SupervisedDevice['role'];
  port: string;
  outcome: SafeOutcome;
  reason?: string;
  /** When the off/halt command was queued on the open port, ms after makeSafe started; null if never. */
  sentAtMs: number | null;
}

interface Recipe {
  framing: SerialFraming;
  command: string;
  reply: ReplyShape;
  /** Success despite a vendor error (ASI `:N-21` "halted by HALT"). */
  acceptError?: (err: DeviceError) => boolean;
  /** Lasers: reads emission back (true = still emitting). */
  readEmission?: (t: SerialTransport) => Promise<boolean>;
}

const asiHalt: Recipe = {
  framing: {
    commandTerminator: '\r',
    replyTerminator: '\r\n',
    vendorError: (lines, command) => {
      const m = /^:N\s*-?\s*(\d+)/i.exec((lines.at(-1) ?? '').trim());
      return m ? asiDeviceError(Number(m[1]), command) : undefined;
    },
  },
  command: '\\',
  reply: 1,
  acceptError: (err) => err.details?.vendorCode === 21,
};

const recipes: Record<SupervisedDevice['driver'], Recipe> = {
  obis: {
    framing: { commandTerminator: '\r\n', replyTerminator: '\r\n', vendorError: obisVendorError },
    command: 'SOUR:AM:STAT OFF',
    reply: OBIS_REPLY,
    // A head power-cycled since the host set it up has handshake off and acknowledges
    // nothing (the off command still acts): turn handshake on for the read-back.
    readEmission: async (t) => {
      await t.request('SYST:COMM:HAND ON', { reply: OBIS_REPLY }).catch((err: unknown) => {
        if (!(err instanceof TimeoutError)) throw err;
      });
      return t.request('SOUR:AM:STAT?', {
        reply: OBIS_REPLY,
        parse: (l) => parseOnOff(valueLine(l), 'emission state'),
      });
    },
  },
  cobolt: {
    framing: { commandTerminator: '\r', replyTerminator: '\r\n', vendorError: coboltVendorError },
    command: 'l0',
    reply: coboltReply('l0'),
    readEmission: (t) =>
      t.request('l?', {
        reply: coboltReply('l?'),
        parse: (l) => parseCoboltInt(replyValue(l, 'l?'), 'emission state') === 1,
      }),
  },
  'asi-ms2000': asiHalt,
  'asi-tiger': asiHalt,
  'prior-proscan': {
    framing: {
      commandTerminator: '\r',
      replyTerminator: '\r',
      vendorError: (lines, command) => {
        const err = lines.find((l) => isPriorError(l));
        return err === undefined ? undefined : priorDeviceError(err, command);
      },
    },
    command: 'K',
    reply: (lines) => lines.some((l) => /^R$/i.test(l.trim()) || isPriorError(l)),
  },
};

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function makeOneSafe(device: SupervisedDevice, t0: number): Promise<SafeResult> {
  const recipe = recipes[device.driver];
  const result: SafeResult = {
    ids: device.ids,
    role: device.role,
    port: device.port,
    outcome: 'unreachable',
    sentAtMs: null,
  };
  const t = new SerialTransport({
    path: device.port,
    baudRate: device.baudRate,
    stopBits: device.stopBits,
    ...recipe.framing,
    timeoutMs: REPLY_TIMEOUT_MS,
    label: device.ids.join('+'),
    autoReconnect: { initialDelayMs: 5, maxDelayMs: 50 },
    presenceCheckMs: 0,
  });
  try {
    // The host's file (and its lock) may close a moment after its pipe to us.
    await t.reconnect(OPEN_RETRY_MS);
  } catch (err) {
    return { ...result, reason: message(err) };
  }
  try {
    const sent = t.request(recipe.command, { reply: recipe.reply });
    result.sentAtMs = performance.now() - t0;
    try {
      await sent;
    } catch (err) {
      const accepted = err instanceof DeviceError && recipe.acceptError?.(err);
      // No acknowledgement: the read-back (if the recipe has one) decides.
      const readBackDecides = err instanceof TimeoutError && recipe.readEmission;
      if (!accepted && !readBackDecides) throw err;
    }
    if (!recipe.readEmission) return { ...result, outcome: 'halted' };
    const emitting = await recipe.readEmission(t);
    return emitting
      ? {
          ...result,
          outcome: 'unconfirmed',
          reason: 'emission still reads on after the off command',
        }
      : { ...result, outcome: 'confirmed-off' };
  } catch (err) {
    return { ...result, outcome: 'unconfirmed', reason: message(err) };
  } finally {
    await t.close().catch(() => undefined);
  }
}

/** Makes every supervised device safe, in parallel; never rejects. */
export async function makeSafe(devices: readonly SupervisedDevice[]): Promise<SafeResult[]> {
  const t0 = performance.now();
  return Promise.all(
    devices.map((d) =>
      withTimeout(makeOneSafe(d, t0), DEVICE_BUDGET_MS, `${d.ids.join('+')} on ${d.port}`).catch(
        (err: unknown): SafeResult => ({
          ids: d.ids,
          role: d.role,
          port: d.port,
          outcome: 'unconfirmed',
          reason: message(err),
          sentAtMs: null,
        }),
      ),
    ),
  );
}
