import { describe, expect, it } from 'vitest';
import { applyPositionMoves } from '../../../renderer/navigator/plan-edits';
import { createAppStore } from '../../../renderer/state/store';
import { emptyPlanForm } from '../../../renderer/ui/plan-builder';

const form = () => ({
  ...emptyPlanForm(['GFP']),
  positions: [
    { name: 'pos1', xUm: 10, yUm: 20, zUm: 1 },
    { name: 'pos2', xUm: -5, yUm: 0, zUm: null },
  ],
});

describe('plan edits from the map', () => {
  it('a move shifts the named position only; unknown names are reported', () => {
    const r = applyPositionMoves(form(), [
      { name: 'pos2', dxUm: 3, dyUm: -4 },
      { name: 'gone', dxUm: 1, dyUm: 1 },
      { name: 'pos2', dxUm: 1, dyUm: 1 },
    ]);
    expect(r.form.positions).toEqual([
      { name: 'pos1', xUm: 10, yUm: 20, zUm: 1 },
      { name: 'pos2', xUm: -1, yUm: -3, zUm: null },
    ]);
    expect(r.unknown).toEqual(['gone']);
    const none = form();
    expect(applyPositionMoves(none, [{ name: 'x', dxUm: 1, dyUm: 1 }]).form).toBe(none);
  });

  it('the store queues moves until the form takes them', () => {
    const store = createAppStore();
    store.getState().movePlanPosition({ name: 'pos1', dxUm: 1, dyUm: 2 });
    store.getState().movePlanPosition({ name: 'pos1', dxUm: 3, dyUm: 4 });
    expect(store.getState().takePositionMoves()).toHaveLength(2);
    expect(store.getState().takePositionMoves()).toEqual([]);
  });
});
