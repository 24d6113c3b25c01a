/** Options of the usb3-vision camera driver (config `devices[].options`); unknown keys are rejected. */
import { z } from 'zod';
import { genicamOptionFields } from '../genicam/genicam-options';

const usbId = z.number().int().min(0).max(0xffff);

export const u3vCameraOptions = z
  .object({
    ...genicamOptionFields,
    /** Select the camera by USB vendor / product id and/or serial number; none: the only one. */
    vendorId: usbId.optional(),
    productId: usbId.optional(),
    serial: z.string().min(1).max(64).optional(),
    /** Bytes per streaming bulk transfer (rounded down to the device's alignment). */
    transferSize: z
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
    /** GenCP ack timeout when the device's maximum response time is shorter. */
    timeoutMs: z.number().int().min(20).max(10_000).default(500),
    retries: z.number().int().min(0).max(10).default(2),
    /** How long one streaming transfer inside a frame may take before the frame is incomplete. */
    frameTimeoutMs: z.number().int().min(10).max(60_000).default(1000),
    /** An idle camera is asked whether it is still there this often (unplug detection). */
    watchMs: z.number().int().min(50).max(60_000).default(1000),
    /** Use the in-process USB3 Vision simulator instead of USB (sim/u3v-sim-bus.ts). */
    simulate: z.boolean().default(false),
  })
  .strict();

export type U3vCameraOptions = z.output<typeof u3vCameraOptions>;
