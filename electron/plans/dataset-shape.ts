/**
 * Maps useq event indices onto the dataset's (p, t, c, z) frame index: every distinct
 * (position, grid tile) pair becomes one dataset position, in order of first visit; t, c
 * and z are taken as they are. Sizes are max index + 1, so skipped events
 * (`acquire_every`, `do_stack: false`) leave planes unwritten rather than shifting others.
 */
import type { FrameIndex } from '../storage/layout';
import type { MdaEvent } from './events';

export interface DatasetShape {
  positions: number;
  sizes: { t: number; c: number; z: number };
  /** Channel config names by c index (the first seen for each index). */
  channelNames: string[];
  indexOf(e: MdaEvent): FrameIndex;
}

export function datasetShape(events: readonly MdaEvent[]): DatasetShape {
  const keys = new Map<string, number>();
  const key = (e: MdaEvent) => `${e.index.p ?? 0}/${e.index.g ?? 0}`;
  const sizes = { t: 1, c: 1, z: 1 };
  const channelNames: string[] = [];
  for (const e of events) {
    if (e.action) continue;
    if (!keys.has(key(e))) keys.set(key(e), keys.size);
    sizes.t = Math.max(sizes.t, (e.index.t ?? 0) + 1);
    sizes.c = Math.max(sizes.c, (e.index.c ?? 0) + 1);
    sizes.z = Math.max(sizes.z, (e.index.z ?? 0) + 1);
    const c = e.index.c ?? 0;
    if (channelNames[c] === undefined && e.channel) channelNames[c] = e.channel.config;
  }
  return {
    positions: Math.max(1, keys.size),
    sizes,
    channelNames,
    indexOf: (e) => ({
      p: keys.get(key(e)) ?? 0,
      t: e.index.t ?? 0,
      c: e.index.c ?? 0,
      z: e.index.z ?? 0,
    }),
  };
}
