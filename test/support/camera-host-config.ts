/**
 * A small simulated-microscope host config whose camera is another driver's (gige-vision,
 * usb3-vision, …), under the id `camera`.
 */
import { smallSimConfig } from './host-fixture';

export function configWithCamera(
  camera: { driver: string; options: Record<string, unknown> },
  datasetsRoot: string,
) {
  const base = smallSimConfig({ storage: { datasetsRoot } });
  const devices = (base.devices as { kind: string }[]).filter((d) => d.kind !== 'camera');
  return { ...base, devices: [...devices, { id: 'camera', kind: 'camera', ...camera }] };
}
