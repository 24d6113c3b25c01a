/**
 * Keys on the focused stage map, by what is selected: Esc unselects; with an ROI selected,
 * Tab / → / ↓ step to the next ROI, Shift+Tab / ← / ↑ to the previous one (with nothing
 * selected the arrows pick the first or last), Enter moves the stage to it; with a polygon
 * vertex selected, Delete / Backspace removes the vertex. Other keys are left to the page.
 */
import type { MapSelection } from './navigator-slice';

export type MapKeyAction = 'unselect' | 'next' | 'previous' | 'goto' | 'delete-vertex';

export function mapKeyAction(
  key: string,
  shift: boolean,
  selection: MapSelection | null,
): MapKeyAction | null {
  const roi = selection?.kind === 'auto-roi' || selection?.kind === 'found-roi';
  switch (key) {
    case 'Escape':
      return selection ? 'unselect' : null;
    case 'Tab':
      return roi ? (shift ? 'previous' : 'next') : null;
    case 'ArrowRight':
    case 'ArrowDown':
      return selection?.kind === 'vertex' ? null : 'next';
    case 'ArrowLeft':
    case 'ArrowUp':
      return selection?.kind === 'vertex' ? null : 'previous';
    case 'Enter':
      return roi ? 'goto' : null;
    case 'Delete':
    case 'Backspace':
      return selection?.kind === 'vertex' ? 'delete-vertex' : null;
    default:
      return null;
  }
}
