/**
 * The sample navigator (issue #17): the config's sample holder (also mirrored into
 * AppState.navigator for the UI) and the `plan.positions` command that draws
 * a plan on the map before it runs. `commandAccess` in contract.ts classifies the command.
 */
import { z } from 'zod';
import { command, finite } from './schema-parts';

/**
 * The navigator's form of the config's `stageOrientation` (issue #18 §7, the one place the
 * camera's mounting is configured; renderer/navigator/frame-placement.ts derives this from
 * it): without flips or rotation, image +x (columns) runs along stage +X and image +y (rows)
 * along stage +Y. `flipX` / `flipY` mirror the image's axes first; `rotate90` then turns it
 * that many quarter turns clockwise as seen on a map drawn with +X right and +Y down. A frame
 * is centred on the stage position it was taken at.
 */
export interface CameraOrientation {
  flipX: boolean;
  flipY: boolean;
  rotate90: 0 | 1 | 2 | 3;
}

const stagePoint = z.object({ xUm: finite, yUm: finite }).strict();

/**
 * How the holder is turned on the stage, degrees clockwise as seen on the map (+X right,
 * +Y down), about its reference point (a plate's A1 centre, a slide's or dish's centre).
 */
const rotationDeg = z.number().finite().min(-180).max(180).optional();

/**
 * What holds the sample, placed on the stage. Plates follow ANSI/SLAS 1-2004 (footprint) and
 * 4-2004 (well positions): `a1Um` is the stage position of well A1's centre, columns run
 * along +X and rows along +Y. Slides and dishes are placed by their centre.
 */
export const sampleHolder = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('plate'),
      format: z.enum(['sbs-96', 'sbs-384']),
      a1Um: stagePoint,
      rotationDeg,
    })
    .strict(),
  z
    .object({
      kind: z.literal('slide'),
      centerUm: stagePoint,
      rotationDeg,
      widthMm: z.number().positive().max(200).default(75),
      heightMm: z.number().positive().max(200).default(25),
      /** The coverslip, centred on the slide; absent: none drawn. */
      coverslip: z
        .object({
          widthMm: z.number().positive().max(100),
          heightMm: z.number().positive().max(100),
        })
        .strict()
        .optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('dish'),
      centerUm: stagePoint,
      rotationDeg,
      diameterMm: z.number().positive().max(200).default(35),
      /** Glass-bottom dishes: the glass window's diameter. */
      glassDiameterMm: z.number().positive().max(200).optional(),
    })
    .strict(),
]);
export type SampleHolder = z.infer<typeof sampleHolder>;

/**
 * One point of the autofocus focus map: where a tile of an automation run was focused (its
 * tile focus step, software autofocus or the focus lock) and the focus-drive Z it found.
 */
export interface FocusPoint {
  xUm: number;
  yUm: number;
  zUm: number;
}

/** AppState.navigator: the config's navigator settings as the UI needs them. */
export interface NavigatorView {
  sampleHolder: SampleHolder | null;
  /**
   * The XY stage's mechanical travel (config `stage.travelUm`), drawn around the safety
   * limits; null when the config does not give it; absent from hosts that predate it.
   */
  travelUm?: {
    xUm: { min: number; max: number };
    yUm: { min: number; max: number };
  } | null;
}

const planPosition = z.object({
  /** Order of the visit, 0-based. */
  order: z.number().int(),
  xUm: finite,
  yUm: finite,
  /** useq `pos_name` when the plan names the position. */
  name: z.string().optional(),
  /** The first event (0-based, in run order) at this position. */
  eventIndex: z.number().int(),
});
export type PlanPosition = z.infer<typeof planPosition>;

/** An absolute grid plan's outline (electron/plans/grid-outlines.ts), stage µm. */
const gridOutline = z.object({
  kind: z.enum(['polygon', 'edges']),
  /** null: the sequence's own grid plan; else the index of the position carrying it. */
  position: z.number().int().nullable(),
  verticesUm: z.array(z.tuple([finite, finite])),
  /** Vertex j is the plan's `vertices[j]` (a polygon without offset or convex hull): draggable. */
  editable: z.boolean(),
  /**
   * A polygon with an offset or convex hull: its own vertices (an open ring; vertex j is the
   * plan's `vertices[j]`, draggable) and how the outline derives from them (gridPolygonRing).
   */
  source: z
    .object({
      verticesUm: z.array(z.tuple([finite, finite])),
      offsetUm: finite.nullable(),
      convexHull: z.boolean(),
    })
    .optional(),
});
export type GridOutlineView = z.infer<typeof gridOutline>;

export const navigatorCommands = {
  'plan.positions': command(
    z.object({ plan: z.record(z.string(), z.unknown()) }).strict(),
    z.object({
      positions: z.array(planPosition),
      /** Outlines of the plan's polygon and edge grids, drawn with their tiles. */
      outlines: z.array(gridOutline),
      /** The field of view the plan's grids were expanded with, µm; null without a camera. */
      fovUm: z.object({ widthUm: finite, heightUm: finite }).nullable(),
    }),
    'Expand a plan against this instrument and list the XY positions it visits, in order (consecutive events at one position count once).',
  ),
  'navigator.frames': command(
    z.object({ afterSeq: z.number().int().min(0) }).strict(),
    z.object({
      /** Oldest first, at most 64; each the block mean of its frame (electron/host/mosaic-feed.ts). */
      frames: z.array(
        z.object({
          seq: z.number().int(),
          /** Its display-bus seq when it was shown there; null for a run frame that was not. */
          busSeq: z.number().int().nullable(),
          /** The frame's metadata as acquired (FrameMeta without seq and sentAtMs). */
          meta: z.record(z.string(), z.unknown()),
          factor: z.number().int(),
          widthPx: z.number().int(),
          heightPx: z.number().int(),
          /** Little-endian uint16, row-major. */
          pixelsBase64: z.string(),
        }),
      ),
      lastSeq: z.number().int(),
    }),
    'Every frame acquired since afterSeq (live, snaps, runs, automation), downsampled to ≤ 128 px a side, for the navigator mosaic; recorded only while a page polls (within 10 s).',
  ),
} as const;
