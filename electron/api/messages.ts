/**
 * Messages of the WebSocket transport (`/api/ws`). Client messages are validated at the
 * host with these schemas; host messages are typed only (the host is trusted).
 *
 * Binary messages from host to client are frames, encoded by `electron/host/frame-codec.ts`:
 *   bytes 0..3  ASCII "AQF1"
 *   bytes 4..7  u32 LE: length H of the JSON header (FrameMeta, UTF-8)
 *   bytes 8..   header, then zero padding so pixels start at a multiple of 8
 *   then        widthPx * heightPx uint16 little-endian pixels, row-major
 * A client that sent a `view` message gets "AQF2" frames instead: the same layout, the header
 * also holds `view` (WireView of ./frame-view.ts: level, region, reduced size, codec, payload
 * length) and the payload is the reduced pixels, raw or byte-shuffled and deflated
 * (electron/remote/view-pyramid.ts: byteShuffle).
 * FrameMeta.widthPx/heightPx stay the full image's, so clients place the view in image pixels.
 */
import { z } from 'zod';
import { FRAME_CODECS } from './frame-view';
import type { ApiError, AppState, FrameMeta, HostEvent, StatePatch } from './contract';

export const clientMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('call'),
    id: z.union([z.number().int(), z.string().max(64)]),
    name: z.string().min(1).max(64),
    args: z.unknown().optional(),
  }),
  /** Ask for (or stop) display frames. Display is latest-wins with one frame in flight. */
  z.object({ type: z.literal('frames'), enabled: z.boolean() }),
  /** The client has drawn frame `seq`; the host may send the next one. */
  z.object({ type: z.literal('frame.ack'), seq: z.number().int() }),
  /**
   * What this client displays (device px canvas and visible image region): frames from now on
   * are reduced to fit it (frame-view.ts). `view: null` asks for full frames again.
   */
  z.object({
    type: z.literal('view'),
    view: z
      .object({
        canvasWidthPx: z.number().int().min(1).max(16384),
        canvasHeightPx: z.number().int().min(1).max(16384),
        region: z
          .object({
            x: z.number().finite(),
            y: z.number().finite(),
            width: z.number().finite().positive(),
            height: z.number().finite().positive(),
          })
          .optional(),
      })
      .nullable(),
    codec: z.enum(FRAME_CODECS).default('raw'),
  }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

export type HostMessage =
  /** `events`: the host's recent events, oldest first (a reload shows the same event list). */
  | { type: 'hello'; clientId: string; rev: number; state: AppState; events?: HostEvent[] }
  | { type: 'patch'; rev: number; patches: StatePatch[] }
  | { type: 'result'; id: number | string; ok: true; value: unknown }
  | { type: 'result'; id: number | string; ok: false; error: ApiError }
  | { type: 'event'; event: HostEvent };

export const FRAME_MAGIC = 'AQF1';
export const VIEW_FRAME_MAGIC = 'AQF2';
export type { FrameMeta };
