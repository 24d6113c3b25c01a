/**
 * `options` of the `prior-proscan` driver. The XY and the Z device entry of one controller
 * name the same `port` and must agree on the connection settings.
 */
import { z } from 'zod';

export const priorOptionsSchema = z
  .object({
    /** Device path (`/dev/ttyUSB0`, `COM3`) or `sim:prior-proscan`. */
    port: z.string().min(1),
    /** 9600 out of the box (ProScan III manual §4.1); changeable on the unit with BAUD. */
    baudRate: z
      .union([z.literal(9600), z.literal(19200), z.literal(38400), z.literal(115200)])
      .default(9_600),
    /** nplab claims the ProScan III needs 2 stop bits, MM uses 1 [U]. */
    stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
    /** Longest wait for an answer to a query, ms. */
    timeoutMs: z.number().int().min(50).max(10_000).default(1_000),
    /**
     * Slowest expected speeds, µm/s, used only for move-length timeouts (the controller
     * reports speed as a percentage of an unknown maximum).
     */
    xySpeedUmPerS: z.number().positive().default(1_000),
    zSpeedUmPerS: z.number().positive().default(100),
    /** Fixed part of the move-length timeout (2 × distance / speed + this), ms. */
    moveMarginMs: z.number().int().min(100).max(60_000).default(3_000),
    /** Fallback `$` poll while waiting for a move's `R`, ms. */
    pollMs: z.number().int().min(10).max(2_000).default(200),
  })
  .strict();

export type PriorOptions = z.output<typeof priorOptionsSchema>;
