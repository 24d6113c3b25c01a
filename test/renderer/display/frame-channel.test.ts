import { describe, expect, it } from 'vitest';
import { frameChannel } from '../../../renderer/display/frame-channel';
import { createAppStore } from '../../../renderer/state/store';

const presets = [
  { name: 'GFP', laserId: 'l488', powerMw: 20, exposureMs: 10 },
  { name: 'Cy5', laserId: 'l640', powerMw: 30, exposureMs: 10 },
];

describe('which channel a frame shows', () => {
  it('from the dose per line (or powers), named by preset; dark when unlit', () => {
    expect(
      frameChannel({ lasersMw: { l488: 20, l640: 0 }, doseMwMs: { l488: 200 } }, presets),
    ).toBe('GFP');
    expect(frameChannel({ lasersMw: { l488: 0, l640: 30 } }, presets)).toBe('Cy5');
    expect(frameChannel({ lasersMw: { l488: 0 }, doseMwMs: {} }, presets)).toBe('dark');
    expect(frameChannel({ lasersMw: { l561: 5, l488: 1 } }, presets)).toBe('GFP+l561');
  });
});

describe('one LUT per channel', () => {
  it('switching channel keeps the LUT of the last one and brings back its own', () => {
    const store = createAppStore();
    const s = () => store.getState();
    s().showChannel('GFP');
    s().setColormap('green');
    s().setAutoContrast(false);
    s().setWindow(100, 900);
    s().showChannel('Cy5');
    // A channel seen for the first time starts from the current LUT.
    expect(s()).toMatchObject({ displayChannel: 'Cy5', colormap: 'green', windowMax: 900 });
    s().setColormap('magenta');
    s().setWindow(50, 3000);
    s().showChannel('GFP');
    expect(s()).toMatchObject({ colormap: 'green', windowMin: 100, windowMax: 900 });
    s().showChannel('Cy5');
    expect(s()).toMatchObject({ colormap: 'magenta', windowMin: 50, windowMax: 3000 });
  });
});

describe('typing one edge of the window', () => {
  it('turns auto-contrast off and keeps min < max from the state at that moment', () => {
    const store = createAppStore();
    const s = () => store.getState();
    // Auto-contrast moved the window after the controls last rendered.
    s().setWindow(105, 1149);
    s().setWindowEdge('max', 900);
    expect(s()).toMatchObject({ autoContrast: false, windowMin: 105, windowMax: 900 });
    s().setWindowEdge('min', 110);
    expect(s()).toMatchObject({ windowMin: 110, windowMax: 900 });
    s().setWindowEdge('min', 950);
    expect(s()).toMatchObject({ windowMin: 950, windowMax: 951 });
    s().setWindowEdge('max', 10);
    expect(s()).toMatchObject({ windowMin: 9, windowMax: 10 });
  });
});
