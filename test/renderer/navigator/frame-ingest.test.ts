import { describe, expect, it } from 'vitest';
import type { CameraState, FrameMeta } from '../../../electron/api/contract';
import {
  DARK_CHANNEL,
  frameChannel,
  frameGeometry,
  liveField,
} from '../../../renderer/navigator/frame-ingest';
import { cameraOrientationOf, frameFootprint } from '../../../renderer/navigator/frame-placement';
import { overviewGrid } from '../../../renderer/navigator/scan-overview';

const IDENTITY_ORIENTATION = cameraOrientationOf(undefined);

const meta = (over: Partial<FrameMeta> = {}): FrameMeta => ({
  seq: 1,
  cameraSeq: 1,
  widthPx: 100,
  heightPx: 50,
  bitDepth: 12,
  binning: 2,
  pixelSizeUm: 0.5,
  exposureMs: 10,
  timestampMs: 0,
  stage: { xUm: 10, yUm: 20, zUm: 0 },
  lasersMw: {},
  sentAtMs: 0,
  ...over,
});

const camera = (over: Partial<CameraState> = {}): CameraState => ({
  id: 'cam',
  widthPx: 400,
  heightPx: 200,
  pixelSizeUm: 0.5,
  bitDepth: 12,
  exposureMs: 10,
  binning: 2,
  roi: null,
  live: false,
  framesAcquired: 0,
  framesDropped: 0,
  ...over,
});

const presets = [
  { name: 'GFP', laserId: 'l488', powerMw: 1, exposureMs: 10 },
  { name: 'GFP-bright', laserId: 'l488', powerMw: 9, exposureMs: 10 },
  { name: 'Cy5', laserId: 'l640', powerMw: 1, exposureMs: 10 },
];

describe('frame ingest', () => {
  it('a frame is centred on its own stage position, pixel size × binning', () => {
    expect(frameGeometry(meta(), camera(), IDENTITY_ORIENTATION)).toEqual({
      widthPx: 100,
      heightPx: 50,
      umPerPx: 1,
      centerXUm: 10,
      centerYUm: 20,
    });
  });

  it('a camera ROI off the sensor centre shifts the frame centre (through the orientation)', () => {
    // Binned sensor 200×100; ROI 100×50 at (100, 50): its centre is 50 px right, 25 px down.
    const roi = { xPx: 100, yPx: 50, widthPx: 100, heightPx: 50 };
    const g = frameGeometry(meta(), camera({ roi }), IDENTITY_ORIENTATION);
    expect([g.centerXUm, g.centerYUm]).toEqual([60, 45]);
    const flipped = frameGeometry(meta(), camera({ roi }), {
      ...IDENTITY_ORIENTATION,
      flipX: true,
    });
    expect([flipped.centerXUm, flipped.centerYUm]).toEqual([-40, 45]);
    // An ROI that does not match the frame (changed since) is ignored.
    const other = frameGeometry(
      meta(),
      camera({ roi: { ...roi, widthPx: 10 } }),
      IDENTITY_ORIENTATION,
    );
    expect(other.centerXUm).toBe(10);
  });

  it('the live field of view is the binned sensor (or ROI) at the stage position', () => {
    const g = liveField(camera(), { xUm: 0, yUm: 0 }, IDENTITY_ORIENTATION);
    expect(frameFootprint(g, IDENTITY_ORIENTATION)).toEqual({ x0: -100, y0: -50, x1: 100, y1: 50 });
  });

  it('the channel is the preset whose laser lit the exposure, else the active one, else dark', () => {
    expect(frameChannel(meta({ lasersMw: { l640: 3, l488: 0 } }), presets, 'GFP')).toBe('Cy5');
    expect(frameChannel(meta({ lasersMw: { l488: 3 } }), presets, 'GFP-bright')).toBe('GFP-bright');
    expect(frameChannel(meta({ lasersMw: { l488: 3 } }), presets, null)).toBe('GFP');
    expect(frameChannel(meta({ lasersMw: {}, doseMwMs: { l640: 5 } }), presets, null)).toBe('Cy5');
    expect(frameChannel(meta({ lasersMw: { l405: 1 } }), presets, null)).toBe('l405');
    expect(frameChannel(meta(), presets, 'GFP')).toBe('GFP');
    expect(frameChannel(meta(), presets, null)).toBe(DARK_CHANNEL);
  });
});

describe('scan overview grid', () => {
  const spec = {
    center: { x: 0, y: 0 },
    fieldWidthUm: 100,
    fieldHeightUm: 50,
    rows: 2,
    columns: 3,
  };

  it('fields one field of view apart around the centre, serpentine', () => {
    expect(overviewGrid(spec, null).map((p) => [p.x, p.y])).toEqual([
      [-100, -25],
      [0, -25],
      [100, -25],
      [100, 25],
      [0, 25],
      [-100, 25],
    ]);
  });

  it('drops fields outside the envelope and refuses nonsense sizes', () => {
    const limits = { xUm: { min: -50, max: 1000 }, yUm: { min: -1000, max: 1000 } };
    expect(overviewGrid(spec, limits)).toHaveLength(4);
    expect(() => overviewGrid({ ...spec, rows: 0 }, null)).toThrow(/rows and columns/);
    expect(() => overviewGrid({ ...spec, fieldWidthUm: 0 }, null)).toThrow(/field of view/);
  });
});
