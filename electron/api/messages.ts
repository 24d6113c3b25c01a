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
 * length, histogram), the padding is followed by the histogram's `view.histogram.bytes`
 * bytes of deflated counts (WireHistogram) and then the payload: the reduced pixels, raw or
 * byte-shuffled and deflated (electron/remote/view-pyramid.ts: byteShuffle).
 * FrameMeta.widthPx/heightPx stay the full image's, so clients place the view in image pixels.
 * A client whose view message says `chunks: true` may get a frame split into several binary
 * messages: the first holds the preamble, header and the first payload bytes, each further
 * one is "AQFC" + u32 LE frame seq + the next payload bytes (electron/remote/frame-pacer.ts).
 */
import { z } from 'zod';
import { VIEW_CODECS } from './frame-view';
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
    codec: z.enum(VIEW_CODECS).default('raw'),
    /** The client's display window: needed for codec `lut8`; lets `auto` choose lut8. */
    window: z
      .object({
        min: z.number().finite().min(0).max(65535),
        max: z.number().finite().min(0).max(65535),
        gamma: z.number().finite().min(0.1).max(5),
      })
      .refine((w) => w.max > w.min, { message: 'max must be above min' })
      .optional(),
    /**
     * The client reassembles chunked frames and reports `frame.progress`: its frames are then
     * paced to the link (electron/remote/frame-pacer.ts) so commands never wait behind them.
     */
    chunks: z.boolean().default(false),
  }),
  /** Bytes of frame `seq`'s messages (its first message and chunks, whole) received so far. */
  z.object({
    type: z.literal('frame.progress'),
    seq: z.number().int(),
    bytes: z.number().int().nonnegative(),
  }),
  /**
   * The camera value at image pixel (x, y) of the last frame the host sent this client
   * (exact, also when the client shows a reduced view); answered with a `pixel` message.
   */
  z.object({
    type: z.literal('pixel.read'),
    id: z.number().int(),
    x: z.number().int(),
    y: z.number().int(),
  }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;
export type ViewMessage = Extract<ClientMessage, { type: 'view' }>;

export type HostMessage =
  /** `events`: the host's recent events, oldest first (a reload shows the same event list). */
  | { type: 'hello'; clientId: string; rev: number; state: AppState; events?: HostEvent[] }
  | { type: 'patch'; rev: number; patches: StatePatch[] }
  | { type: 'result'; id: number | string; ok: true; value: unknown }
  | { type: 'result'; id: number | string; ok: false; error: ApiError }
  | { type: 'event'; event: HostEvent }
  /** Answer to `pixel.read`: null outside the image or before any frame was sent. */
  | { type: 'pixel'; id: number; seq: number; x: number; y: number; value: number | null };

export const FRAME_MAGIC = 'AQF1';
export const VIEW_FRAME_MAGIC = 'AQF2';
export const FRAME_CHUNK_MAGIC = 'AQFC';
export type { FrameMeta };
