/**
 * An ROI's dataset through the host's lossless frame pipeline (the same writer thread,
 * formats, journal, provenance and manifest as `run.start` datasets): one position, one z,
 * `timePoints` × programme channels. A time series that stops early (bleached) closes with
 * fewer frames than declared; provenance.json and frames.jsonl record how many were written.
 */
import { rm } from 'node:fs/promises';
import os from 'node:os';
import { ValidationError } from '../../../drivers/errors';
import { FramePipeline } from '../../pipeline/frame-pipeline';
import { colorForWavelength } from '../../plans/prepare';
import type { Logger } from '../../host/logger';
import type { ChannelInfo, DatasetFormat } from '../../storage/layout';
import type { AcquiredFrame } from '../../runner/types';
import type { RoiDataset, RoiDatasetSpec } from './types';

export interface RoiDatasetHost {
  root: string;
  defaultFormat: DatasetFormat;
  appVersion: string;
  operator: string | undefined;
  /** The config without secrets, recorded in provenance. */
  config: unknown;
  deviceStates: () => unknown;
  wavelengthNm: (laserId: string) => number | undefined;
  logger: Logger;
  /** Called after a dataset closed (e.g. to refresh the datasets list). */
  onClosed?: () => void;
}

export async function openRoiDataset(
  host: RoiDatasetHost,
  spec: RoiDatasetSpec,
): Promise<RoiDataset> {
  const channels: ChannelInfo[] = spec.channels.map((l) => {
    const nm = host.wavelengthNm(l.laserId);
    const info: ChannelInfo = {
      name: l.name ?? l.laserId,
      colorHex: colorForWavelength(nm),
      window: { start: 0, end: 65_535, min: 0, max: 65_535 },
    };
    if (nm !== undefined) info.excitationNm = nm;
    return info;
  });
  const pipeline = await FramePipeline.open({
    root: host.root,
    layout: {
      name: spec.name,
      format: spec.format ?? host.defaultFormat,
      positions: 1,
      sizes: { t: spec.timePoints, c: channels.length, z: 1, y: spec.heightPx, x: spec.widthPx },
      channels,
      physical: { pixelSizeUm: spec.pixelSizeUm, zStepUm: 1, timeIntervalS: spec.intervalS },
    },
    provenance: {
      appVersion: host.appVersion,
      operator: host.operator ?? os.userInfo().username,
      config: host.config,
      plan: spec.plan,
      deviceStates: host.deviceStates(),
    },
    logger: host.logger,
  });
  return {
    dir: pipeline.dir,
    takeBuffer: () => pipeline.takeBuffer(),
    async write(frame: AcquiredFrame, t: number, c: number, channel: string) {
      const px = frame.pixels;
      const pixels =
        px.byteOffset === 0 && px.byteLength === px.buffer.byteLength
          ? (px.buffer as ArrayBuffer)
          : px.slice().buffer;
      await pipeline.write({ meta: { ...frame.meta, channel }, pixels }, { p: 0, t, c, z: 0 });
    },
    async close(end) {
      const summary = await pipeline.close(end);
      host.onClosed?.();
      return { framesWritten: summary.framesWritten };
    },
    async discard() {
      if (pipeline.stats.framesAccepted > 0)
        throw new ValidationError(`${pipeline.dir} has frames; it is closed, not discarded`);
      await pipeline.close({ outcome: 'cancelled', reason: 'opened ahead for an ROI not imaged' });
      await rm(pipeline.dir, { recursive: true, force: true });
    },
  };
}
