/** Options of the gige-vision camera driver (config `devices[].options`); unknown keys are rejected. */
import { z } from 'zod';
import { genicamOptionFields } from '../genicam/genicam-options';

const ipv4 = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, 'expected an IPv4 address');

export const gigeCameraOptions = z
  .object({
    ...genicamOptionFields,
    /**
     * Camera IPv4 address. With `serial` or `mac` it is where discovery asks instead (the
     * camera's address or a subnet broadcast address).
     */
    address: ipv4.optional(),
    /** Select the camera by serial number among those answering discovery. */
    serial: z.string().min(1).max(16).optional(),
    /** Select the camera by MAC address (aa:bb:cc:dd:ee:ff) among those answering discovery. */
    mac: z
      .string()
      .regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i, 'expected a MAC address like 00:11:22:33:44:55')
      .transform((m) => m.toLowerCase())
      .optional(),
    /** Network interface whose subnet broadcast discovery uses (with serial/mac). */
    interface: z.string().min(1).optional(),
    /** GVCP port (3956 for every real camera). */
    port: z.number().int().min(1).max(65_535).default(3956),
    /** Largest GVSP packet size, IP and UDP headers included (jumbo frames: up to 9000); default: negotiated up to the interface MTU. */
    packetSize: z.number().int().min(576).max(65_000).optional(),
    /** Local address the stream is sent to; default the address that routes to the camera. */
    streamAddress: ipv4.optional(),
    timeoutMs: z.number().int().min(20).max(10_000).default(500),
    retries: z.number().int().min(0).max(10).default(3),
    /** Wait for missing packets (after a resend request) before a frame counts incomplete. */
    frameTimeoutMs: z.number().int().min(10).max(60_000).default(500),
  })
  .strict()
  .refine((o) => o.address || o.serial || o.mac, {
    message: 'give address, serial or mac to say which camera',
  });

export type GigeCameraOptions = z.output<typeof gigeCameraOptions>;
