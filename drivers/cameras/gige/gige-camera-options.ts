/** Options of the gige-vision camera driver (config `devices[].options`); unknown keys are rejected. */
import { z } from 'zod';

export const gigeCameraOptions = z
  .object({
    /** Camera IPv4 address. */
    address: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, 'expected an IPv4 address'),
    /** GVCP port (3956 for every real camera). */
    port: z.number().int().min(1).max(65_535).default(3956),
    /** Largest GVSP packet size, IP and UDP headers included (jumbo frames: up to 9000); default: negotiated up to the interface MTU. */
    packetSize: z.number().int().min(576).max(65_000).optional(),
    /** Local address the stream is sent to; default the address that routes to the camera. */
    streamAddress: z
      .string()
      .regex(/^\d{1,3}(\.\d{1,3}){3}$/)
      .optional(),
    pixelFormat: z
      .enum(['Mono8', 'Mono10', 'Mono12', 'Mono12Packed', 'Mono14', 'Mono16'])
      .optional(),
    /** Pixel size at the sample plane (camera pixel / magnification), µm: not in GenICam. */
    pixelSizeUm: z.number().positive().max(100).default(6.5),
    timeoutMs: z.number().int().min(20).max(10_000).default(500),
    retries: z.number().int().min(0).max(10).default(3),
    /** Wait for missing packets (after a resend request) before a frame counts incomplete. */
    frameTimeoutMs: z.number().int().min(10).max(60_000).default(500),
    snapAttempts: z.number().int().min(1).max(10).default(3),
  })
  .strict();

export type GigeCameraOptions = z.output<typeof gigeCameraOptions>;
