import { enablePatches, produceWithPatches } from 'immer';
import { describe, expect, it } from 'vitest';
import type { AppState, StatePatch } from '../../../electron/api/contract';
import { applyPatchMessage, mirrorFromHello } from '../../../renderer/state/mirror';
import { sampleState } from './sample-state';

enablePatches();

function hostUpdate(state: AppState, recipe: (d: AppState) => void) {
  const [next, patches] = produceWithPatches(state, recipe);
  return { next, patches: patches as StatePatch[] };
}

describe('state mirror', () => {
  it('applies consecutive patches produced the way the host produces them', () => {
    const base = sampleState();
    let mirror = mirrorFromHello(base, 10);
    const a = hostUpdate(base, (d) => {
      d.stage!.xUm = 125.5;
      d.lasers.l488!.emission = true;
    });
    const b = hostUpdate(a.next, (d) => {
      d.devices.cam = { ...d.devices.stage!, id: 'cam', kind: 'camera' };
      d.channels.push({ name: 'GFP', laserId: 'l488', powerMw: 2, exposureMs: 20 });
    });
    for (const [rev, patches] of [
      [11, a.patches],
      [12, b.patches],
    ] as const) {
      const out = applyPatchMessage(mirror, rev, patches);
      expect(out.kind).toBe('applied');
      if (out.kind === 'applied') mirror = out.mirror;
    }
    expect(mirror.rev).toBe(12);
    expect(mirror.state).toEqual(b.next);
    expect(base.stage!.xUm).toBe(0);
  });

  it('reports a gap when a revision is skipped', () => {
    const mirror = mirrorFromHello(sampleState(), 4);
    expect(applyPatchMessage(mirror, 6, [])).toEqual({ kind: 'gap', expectedRev: 5, gotRev: 6 });
  });

  it('ignores patches it already has and patches before any snapshot', () => {
    const mirror = mirrorFromHello(sampleState(), 4);
    const p: StatePatch[] = [{ op: 'replace', path: ['stage', 'xUm'], value: 9 }];
    expect(applyPatchMessage(mirror, 4, p).kind).toBe('stale');
    expect(applyPatchMessage(mirror, 2, p).kind).toBe('stale');
    expect(applyPatchMessage(null, 5, p).kind).toBe('no-snapshot');
  });

  it('reports a patch that does not fit the state as invalid, naming the rev', () => {
    const mirror = mirrorFromHello(sampleState(), 1);
    const out = applyPatchMessage(mirror, 2, [
      { op: 'replace', path: ['nope', 'deeper', 'x'], value: 1 },
    ]);
    expect(out.kind).toBe('invalid');
    if (out.kind === 'invalid') expect(out.message).toMatch(/^patch rev 2: /);
  });

  it('freezes the snapshot so UI code cannot mutate the mirror', () => {
    const mirror = mirrorFromHello(sampleState(), 1);
    expect(Object.isFrozen(mirror.state.stage)).toBe(true);
  });
});
