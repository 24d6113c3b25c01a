/** Building blocks of the API's zod schemas (contract.ts and its parts). */
import { z } from 'zod';

export const finite = z.number().finite();
export const nonNeg = finite.min(0);
export const none = z.object({}).strict();

export const xyPosition = z.object({ xUm: finite, yUm: finite }).strict();
export const roi = z
  .object({
    xPx: z.number().int().min(0),
    yPx: z.number().int().min(0),
    widthPx: z.number().int().min(1),
    heightPx: z.number().int().min(1),
  })
  .strict();

/** One API command: params schema, result schema, one-line summary. */
export function command<P extends z.ZodType, R extends z.ZodType>(
  params: P,
  result: R,
  summary: string,
) {
  return { params, result, summary };
}
