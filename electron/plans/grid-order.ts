/**
 * (row, column) visiting orders of useq-schema's `OrderMode`. Row 0 is the top row.
 * Spiral starts at the centre cell ((rows−1)//2, (cols−1)//2), goes up first (−y is
 * down in useq's grid frame) and turns clockwise, skipping cells outside the grid.
 */
import type { OrderMode } from './types';

export type Cell = [row: number, col: number];

function rect(rows: number, cols: number, snake: boolean, rowWise: boolean): Cell[] {
  const out: Cell[] = [];
  if (rowWise) {
    for (let r = 0; r < rows; r++)
      for (let i = 0; i < cols; i++) out.push([r, snake && r % 2 === 1 ? cols - 1 - i : i]);
  } else {
    for (let c = 0; c < cols; c++)
      for (let i = 0; i < rows; i++) out.push([snake && c % 2 === 1 ? rows - 1 - i : i, c]);
  }
  return out;
}

function spiral(rows: number, cols: number): Cell[] {
  const out: Cell[] = [];
  const xShift = Math.floor((cols - 1) / 2);
  const yShift = Math.floor((rows - 1) / 2);
  let x = 0;
  let y = 0;
  let dx = 0;
  let dy = -1;
  const n = Math.max(cols, rows) ** 2;
  for (let i = 0; i < n; i++) {
    if (-cols / 2 < x && x <= cols / 2 && -rows / 2 < y && y <= rows / 2)
      out.push([y + yShift, x + xShift]);
    if (x === y || (x < 0 && x === -y) || (x > 0 && x === 1 - y)) [dx, dy] = [-dy, dx];
    x += dx;
    y += dy;
  }
  return out;
}

export function gridIndices(mode: OrderMode, rows: number, cols: number): Cell[] {
  switch (mode) {
    case 'row_wise':
      return rect(rows, cols, false, true);
    case 'column_wise':
      return rect(rows, cols, false, false);
    case 'row_wise_snake':
      return rect(rows, cols, true, true);
    case 'column_wise_snake':
      return rect(rows, cols, true, false);
    case 'spiral':
      return spiral(rows, cols);
  }
}
