/**
 * Keyboard jogging while the live view has focus: arrows move XY by the XY step,
 * PageUp/PageDown move Z by the Z step; Shift multiplies the step by 10, Alt divides by
 * 10; Escape stops XY and Z motion. ArrowUp is +Y and ArrowRight is +X in stage coordinates.
 * Auto-repeat presses are
 * dropped while a jog on the same axis is still in flight, so holding a key cannot queue
 * a backlog of moves at the host.
 */
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

export function jogForKey(e: KeyLike, stepUm: number, stepZUm: number): JogAction | null {
  if (e.ctrlKey || e.metaKey) return null;
  const k = e.shiftKey ? 10 : e.altKey ? 0.1 : 1;
  const s = stepUm * k;
  const z = stepZUm * k;
  switch (e.key) {
    case 'ArrowUp':
      return { command: 'stage.moveBy', axis: 'xy', args: { dxUm: 0, dyUm: s } };
    case 'ArrowDown':
      return { command: 'stage.moveBy', axis: 'xy', args: { dxUm: 0, dyUm: -s } };
    case 'ArrowLeft':
      return { command: 'stage.moveBy', axis: 'xy', args: { dxUm: -s, dyUm: 0 } };
    case 'ArrowRight':
      return { command: 'stage.moveBy', axis: 'xy', args: { dxUm: s, dyUm: 0 } };
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
