/**
 * `options` of the `asi-ms2000` and `asi-tiger` drivers. The XY and the Z device entry of
 * one controller name the same `port` and must agree on baud rate and axes.
 */
import { z } from 'zod';

const axisLetter = z
  .string()
  .regex(/^[A-Za-z]$/, 'one axis letter, e.g. "X"')
  .transform((s) => s.toUpperCase());

export const asiOptionsSchema = z
  .object({
    /** Device path (`/dev/ttyUSB0`, `COM3`) or `sim:asi-ms2000` / `sim:asi-tiger`. */
    port: z.string().min(1),
    /** MS-2000: 9600 or 115200 per DIP switches (factory default [U]); Tiger: 115200. */
    baudRate: z
      .union([z.literal(9600), z.literal(19200), z.literal(28800), z.literal(115200)])
      .default(115_200),
    /** Longest wait for an answer to a query, ms. */
    timeoutMs: z.number().int().min(50).max(10_000).default(1_000),
    /** Busy-poll interval while a move runs, ms. */
    pollMs: z.number().int().min(5).max(1_000).default(20),
    axes: z
      .object({
        x: axisLetter.default('X'),
        y: axisLetter.default('Y'),
        z: axisLetter.default('Z'),
      })
      .strict()
      .default({ x: 'X', y: 'Y', z: 'Z' }),
  })
  .strict();

export type AsiOptions = z.output<typeof asiOptionsSchema>;
