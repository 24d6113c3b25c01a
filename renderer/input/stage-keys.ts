/**
 * Keyboard jogging while the live view has focus: arrows move the field of view by the XY
 * step the way they point on screen (through the stage-to-camera orientation, see
 * stage-orientation.ts), PageUp/PageDown move Z by the Z step; Shift multiplies the step by
 * 10, Alt divides by 10; Escape stops XY and Z motion. Auto-repeat presses are
 * dropped while a jog on the same axis is still in flight, so holding a key cannot queue
 * a backlog of moves at the host.
 */
import type { StageOrientation } from '../../electron/api/contract';
import { jogDelta, type ScreenDirection } from './stage-orientation';

export type JogAction =
  | { command: 'stage.moveBy'; axis: 'xy'; args: { dxUm: number; dyUm: number } }
  | { command: 'focus.moveBy'; axis: 'z'; args: { dzUm: number } };

export function isStopKey(e: Pick<KeyLike, 'key'>): boolean {
  return e.key === 'Escape';
}

export interface KeyLike {
  key: string;
  shiftKey: boolean;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

const ARROWS: Record<string, ScreenDirection> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
};

export function jogForKey(
  e: KeyLike,
  stepUm: number,
  stepZUm: number,
  orientation?: StageOrientation,
): JogAction | null {
  if (e.ctrlKey || e.metaKey) return null;
  const k = e.shiftKey ? 10 : e.altKey ? 0.1 : 1;
  const s = stepUm * k;
  const z = stepZUm * k;
  const dir = ARROWS[e.key];
  if (dir) return { command: 'stage.moveBy', axis: 'xy', args: jogDelta(orientation, dir, s) };
  switch (e.key) {
    case 'PageUp':
      return { command: 'focus.moveBy', axis: 'z', args: { dzUm: z } };
    case 'PageDown':
      return { command: 'focus.moveBy', axis: 'z', args: { dzUm: -z } };
    default:
      return null;
  }
}

/** Tracks jogs in flight per axis; `tryBegin` refuses auto-repeats while one is pending. */
export class JogGate {
  private readonly inFlight = new Map<JogAction['axis'], number>();

  tryBegin(axis: JogAction['axis'], isRepeat: boolean): boolean {
    const n = this.inFlight.get(axis) ?? 0;
    if (isRepeat && n > 0) return false;
    this.inFlight.set(axis, n + 1);
    return true;
  }

  end(axis: JogAction['axis']): void {
    const n = (this.inFlight.get(axis) ?? 0) - 1;
    if (n > 0) this.inFlight.set(axis, n);
    else this.inFlight.delete(axis);
  }
}
