/**
 * Issue #14: the camera's device panel and feature browser rendered to markup in Node:
 * identity, filter, type / access / range, editors only for writable features of a client in
 * control, read-only for observers, a refused write's error at its field.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { FeatureView } from '../../../electron/api/contract';
import {
  FeatureBrowser,
  filterFeatures,
  parseFeatureInput,
} from '../../../renderer/ui/camera-features';
import { sampleState } from '../state/sample-state';
import { render, textOf } from './render-app';

const features: FeatureView[] = [
  { name: 'DeviceModelName', type: 'StringReg', access: 'RO', value: 'Fake' },
  {
    name: 'GainRaw',
    type: 'Integer',
    access: 'RW',
    min: 0,
    max: 10,
    inc: 1,
    value: 3,
    description: 'Raw gain',
  },
  {
    name: 'ExposureTimeAbs',
    type: 'Float',
    access: 'RW',
    min: 10,
    max: 1e7,
    unit: 'us',
    value: 1e4,
    managedBy: 'camera.setExposure',
  },
  {
    name: 'TriggerActivation',
    type: 'Enumeration',
    access: 'RW',
    entries: ['RisingEdge', 'FallingEdge'],
    value: 'RisingEdge',
  },
  { name: 'DeviceReset', type: 'Command', access: 'WO' },
];

const browse = (editable: boolean, errors: Record<string, string> = {}, initialFilter = '') =>
  renderToStaticMarkup(
    <FeatureBrowser
      features={features}
      editable={editable}
      errors={errors}
      onSet={() => undefined}
      initialFilter={initialFilter}
    />,
  );

describe('camera feature browser', () => {
  it('lists type, access, range with unit, entries and values', () => {
    const html = browse(false);
    expect(textOf(html, 'feature-count')).toMatch(/5 of 5/);
    expect(html).toMatch(/GainRaw<div class="sub">Integer · RW/);
    expect(textOf(html, 'feature-GainRaw-range')).toBe('0 … 10');
    expect(textOf(html, 'feature-ExposureTimeAbs-range')).toBe('10 … 10000000 us');
    expect(textOf(html, 'feature-TriggerActivation-range')).toBe('RisingEdge | FallingEdge');
    expect(textOf(html, 'feature-DeviceModelName-value')).toBe('Fake');
  });

  it('is read-only for observers: values, no editors', () => {
    const html = browse(false);
    expect(html).not.toMatch(/data-testid="feature-[A-Za-z]+-input"/);
    expect(textOf(html, 'feature-GainRaw-value')).toBe('3');
  });

  it('gives a client in control editors for writable features only, not for Camera-interface ones', () => {
    const html = browse(true);
    expect(html).toContain('data-testid="feature-GainRaw-input"');
    expect(html).toContain('data-testid="feature-TriggerActivation-input"');
    expect(html).toContain('data-testid="feature-DeviceReset-input"'); // execute
    expect(html).not.toContain('data-testid="feature-DeviceModelName-input"'); // RO
    expect(html).not.toContain('data-testid="feature-ExposureTimeAbs-input"');
    expect(html).toMatch(/set by camera\.setExposure/);
  });

  it("shows a refused write's error at its field", () => {
    const html = browse(true, { GainRaw: 'E_LIMIT: GainRaw = 99 is out of range' });
    expect(textOf(html, 'feature-GainRaw-error')).toBe('E_LIMIT: GainRaw = 99 is out of range');
    expect(html).toMatch(/data-testid="feature-GainRaw-input"[^>]*aria-invalid="true"/);
  });

  it('filters by name, type or description', () => {
    expect(filterFeatures(features, 'gain').map((f) => f.name)).toEqual(['GainRaw']);
    expect(filterFeatures(features, 'raw gain').map((f) => f.name)).toEqual(['GainRaw']);
    expect(filterFeatures(features, 'command').map((f) => f.name)).toEqual(['DeviceReset']);
    expect(textOf(browse(false, {}, 'trigger'), 'feature-count')).toMatch(/1 of 5/);
  });

  it('parses typed input and says what is wrong', () => {
    const gain = features[1]!;
    expect(parseFeatureInput(gain, ' 7 ')).toEqual({ value: 7 });
    expect(parseFeatureInput(gain, '7.5')).toEqual({ error: 'GainRaw takes an integer' });
    expect(parseFeatureInput(gain, 'x')).toEqual({ error: 'GainRaw takes a number' });
    expect(parseFeatureInput(gain, '11')).toEqual({ error: 'GainRaw allows 0 to 10' });
    expect(parseFeatureInput(features[0]!, 'abc')).toEqual({ value: 'abc' });
  });
});

describe('camera device panel', () => {
  it('shows model, serial and firmware from the device identity', () => {
    expect(render(sampleState())).not.toContain('camera-device-panel'); // no camera configured
    const s = sampleState();
    s.devices.cam = {
      id: 'cam',
      kind: 'camera',
      driver: 'gige-vision',
      connection: 'connected',
      identity: { vendor: 'Aravis', model: 'Fake', serial: 'GV01', firmware: '0.8.26' },
      lastError: null,
      alarms: [],
    };
    const html = render(s);
    expect(textOf(html, 'camera-identity')).toBe('Aravis Fakeserial GV01 · firmware 0.8.26');
    expect(html).toContain('data-testid="camera-features-toggle"');
  });
});
