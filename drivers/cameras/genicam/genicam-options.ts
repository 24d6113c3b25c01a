/** Options every GenICam camera driver takes (spread into each driver's zod object). */
import { z } from 'zod';

export const genicamOptionFields = {
  /** Default: the widest monochrome format the camera offers. */
  pixelFormat: z
    .enum(['Mono8', 'Mono10', 'Mono12', 'Mono12Packed', 'Mono12p', 'Mono14', 'Mono16'])
    .optional(),
  /** Pixel size at the sample plane (camera pixel / magnification), µm: not in GenICam. */
  pixelSizeUm: z.number().positive().max(100).default(6.5),
  /** snap() triggers again after an incomplete frame, this many frames in all. */
  snapAttempts: z.number().int().min(1).max(10).default(3),
  /** Period of reconnect attempts after the camera is lost; 0 = no automatic reconnect. */
  reconnectMs: z.number().int().min(0).max(600_000).default(2000),
};
