/**
 * Messages of the WebSocket transport (`/api/ws`). Client messages are validated at the
 * host with these schemas; host messages are typed only (the host is trusted).
 *
 * Binary messages from host to client are frames, encoded by `electron/host/frame-codec.ts`:
 *   bytes 0..3  ASCII "AQF1"
 *   bytes 4..7  u32 LE: length H of the JSON header (FrameMeta, UTF-8)
 *   bytes 8..   header, then zero padding so pixels start at a multiple of 8
 *   then        widthPx * heightPx uint16 little-endian pixels, row-major
 */
import { z } from 'zod';
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
export type { FrameMeta };
