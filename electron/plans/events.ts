/**
 * One expanded MDA event in useq-schema's `MDAEvent` shape (the interchange format, hence
 * useq's field names): positions µm, `exposure` ms, `min_start_time` s from the start or
 * the last `reset_event_timer`. Absent fields mean "leave as is", as in useq.
 */
import type { Axis } from './types';

export interface EventChannel {
  config: string;
  group: string;
}

export interface AutofocusAction {
  type: 'hardware_autofocus';
  autofocus_device_name: string | null;
  autofocus_motor_offset: number | null;
}

export interface MdaEvent {
  /** Axis → index, keys in useq's canonical t, p, g, c, z order (sub-sequence axes appended). */
  index: Partial<Record<Axis, number>>;
  channel?: EventChannel;
  exposure?: number;
  min_start_time?: number;
  pos_name?: string;
  x_pos?: number;
  y_pos?: number;
  z_pos?: number;
  /** Present only on autofocus events, which acquire no image. */
  action?: AutofocusAction;
  keep_shutter_open?: boolean;
  reset_event_timer?: boolean;
}

/** The event as one JSON line, useq field order, absent/false/default fields omitted. */
export function eventToJson(e: MdaEvent): string {
  const out: Record<string, unknown> = { index: e.index };
  if (e.channel) out.channel = { config: e.channel.config, group: e.channel.group };
  if (e.exposure !== undefined) out.exposure = e.exposure;
  if (e.min_start_time !== undefined) out.min_start_time = e.min_start_time;
  if (e.pos_name !== undefined) out.pos_name = e.pos_name;
  if (e.x_pos !== undefined) out.x_pos = e.x_pos;
  if (e.y_pos !== undefined) out.y_pos = e.y_pos;
  if (e.z_pos !== undefined) out.z_pos = e.z_pos;
  if (e.action) out.action = e.action;
  if (e.keep_shutter_open) out.keep_shutter_open = true;
  if (e.reset_event_timer) out.reset_event_timer = true;
  return JSON.stringify(out);
}

export const isAcquisition = (e: MdaEvent): boolean => e.action === undefined;
