/**
 * The parsed useq-schema model. Field names follow useq (snake_case) so plans round-trip;
 * positions and sizes are µm, exposures ms, time plan values whole µs (`…Us`).
 */
export const AXES = ['t', 'p', 'g', 'c', 'z'] as const;
export type Axis = (typeof AXES)[number];

export interface Channel {
  /** Name of an Aquila channel preset (or a Micro-Manager config in pymmcore-plus). */
  config: string;
  group: string;
  /** ms; null = the preset's exposure. */
  exposure: number | null;
  do_stack: boolean;
  z_offset: number;
  acquire_every: number;
  camera: string | null;
}

export type ZPlan =
  | { kind: 'top_bottom'; top: number; bottom: number; step: number; go_up: boolean }
  | { kind: 'above_below'; above: number; below: number; step: number; go_up: boolean }
  | { kind: 'range_around'; range: number; step: number; go_up: boolean }
  | { kind: 'absolute'; absolute: number[]; go_up: boolean }
  | { kind: 'relative'; relative: number[]; go_up: boolean };

export type TimePhase =
  | { kind: 'interval_loops'; intervalUs: number; loops: number }
  | { kind: 'duration_loops'; durationUs: number; loops: number }
  | { kind: 'interval_duration'; intervalUs: number; durationUs: number };
export type TimePlan = TimePhase | { kind: 'multi_phase'; phases: TimePhase[] };

export type OrderMode =
  'row_wise' | 'column_wise' | 'row_wise_snake' | 'column_wise_snake' | 'spiral';

interface Fov {
  /** µm; null = the camera's field of view (useq falls back to 1 µm). */
  fov_width: number | null;
  fov_height: number | null;
}
interface GridCommon extends Fov {
  /** Percent overlap in x and y. */
  overlap: [number, number];
  mode: OrderMode;
}

export type GridPlan =
  | ({ kind: 'from_edges'; top: number; left: number; bottom: number; right: number } & GridCommon)
  | ({
      kind: 'from_polygon';
      /** (x, y) µm, at least 3. */
      vertices: [number, number][];
      convex_hull: boolean;
      offset: number | null;
    } & GridCommon)
  | ({
      kind: 'rows_columns';
      rows: number;
      columns: number;
      relative_to: 'center' | 'top_left';
    } & GridCommon)
  | ({
      kind: 'width_height';
      width: number;
      height: number;
      relative_to: 'center' | 'top_left';
    } & GridCommon)
  | ({
      kind: 'random_points';
      num_points: number;
      max_width: number;
      max_height: number;
      shape: 'ellipse' | 'rectangle';
      random_seed: number | null;
      allow_overlap: boolean;
      order: 'nearest_neighbor' | 'two_opt' | 'random' | null;
      start_at: number | { x: number; y: number; z: number };
    } & Fov)
  | ({ kind: 'relative_position'; x: number; y: number; z: number } & Fov);

export interface AutofocusPlan {
  kind: 'axes_based';
  axes: string[];
  autofocus_device_name: string | null;
  autofocus_motor_offset: number | null;
}

export interface Position {
  x: number | null;
  y: number | null;
  z: number | null;
  name: string | null;
  sequence: MdaSequence | null;
}

export interface MdaSequence {
  metadata: Record<string, unknown>;
  axis_order: Axis[];
  stage_positions: Position[];
  grid_plan: GridPlan | null;
  channels: Channel[];
  time_plan: TimePlan | null;
  z_plan: ZPlan | null;
  autofocus_plan: AutofocusPlan | null;
  keep_shutter_open_across: string[];
}
