/**
 * Which channel a frame shows, from the light that reached it (the frame's dose per line, or
 * its laser powers from older hosts) and the channel presets: "GFP", "dark" (no line lit),
 * or the line ids when no preset matches. The live view labels the image with it and keeps
 * one LUT per channel (store: showChannel). Pure.
 */
import type { ChannelPreset, FrameMeta } from '../../electron/api/contract';

export const DARK = 'dark';

export function frameChannel(
  meta: Pick<FrameMeta, 'lasersMw' | 'doseMwMs'>,
  presets: readonly ChannelPreset[],
): string {
  const light = meta.doseMwMs ?? meta.lasersMw;
  const lit = Object.keys(light)
    .filter((id) => (light[id] ?? 0) > 0)
    .sort();
  if (lit.length === 0) return DARK;
  return lit.map((id) => presets.find((p) => p.laserId === id)?.name ?? id).join('+');
}
