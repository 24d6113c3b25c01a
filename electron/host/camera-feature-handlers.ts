/**
 * Issue #14: camera.listFeatures / getFeature / setFeature. They reach the configured camera
 * through FeatureCamera (drivers/devices.ts); a camera without named features (the
 * simulator) answers E_UNSUPPORTED. setFeature refuses the features the Camera interface
 * drives itself and names the command that sets them, so the host's camera state (exposure,
 * ROI, binning, frame geometry, live) never goes stale behind its back. Writes are
 * otherwise checked by the camera's own model (range, entries, read-only or locked).
 */
import { isFeatureCamera, type CameraFeatureInfo, type FeatureCamera } from '../../drivers/devices';
import { StateError, UnsupportedError } from '../../drivers/errors';
import type { CameraFeatureCommandName, FeatureView } from '../api/contract';
import type { Handlers } from './command-handlers';
import type { DeviceManager } from './device-manager';

const ACQUISITION = 'camera.snap, camera.startLive and camera.stopLive';

/** Features the Camera interface owns → what sets them instead. */
export const MANAGED_FEATURES: Readonly<Record<string, string>> = {
  ExposureTime: 'camera.setExposure',
  ExposureTimeAbs: 'camera.setExposure',
  ExposureTimeRaw: 'camera.setExposure',
  Width: 'camera.setRoi',
  Height: 'camera.setRoi',
  OffsetX: 'camera.setRoi',
  OffsetY: 'camera.setRoi',
  BinningHorizontal: 'camera.setBinning',
  BinningVertical: 'camera.setBinning',
  PixelFormat: "the camera's pixelFormat option in the config",
  GevSCPSPacketSize: "the camera's packetSize option in the config",
  GevSCDA: 'the driver (stream destination)',
  GevSCPHostPort: 'the driver (stream destination)',
  AcquisitionMode: ACQUISITION,
  AcquisitionStart: ACQUISITION,
  AcquisitionStop: ACQUISITION,
  TriggerSelector: ACQUISITION,
  TriggerMode: ACQUISITION,
  TriggerSource: ACQUISITION,
  TriggerSoftware: ACQUISITION,
  TLParamsLocked: ACQUISITION,
};

const READABLE = new Set(['RW', 'RO']);

async function view(cam: FeatureCamera, name: string): Promise<FeatureView> {
  const info: CameraFeatureInfo = await cam.describeFeature(name);
  const out: FeatureView = {
    name: info.name,
    type: info.type,
    access: info.access,
    ...(info.description !== undefined && { description: info.description }),
    ...(info.unit !== undefined && { unit: info.unit }),
    ...(info.min !== undefined && { min: info.min }),
    ...(info.max !== undefined && { max: info.max }),
    ...(info.inc !== undefined && { inc: info.inc }),
    ...(info.entries !== undefined && { entries: info.entries }),
    ...(MANAGED_FEATURES[name] !== undefined && { managedBy: MANAGED_FEATURES[name] }),
  };
  if (READABLE.has(info.access) && info.type !== 'Command') {
    try {
      out.value = await cam.getFeature(name);
    } catch (err) {
      out.error = (err as Error).message;
    }
  }
  return out;
}

export function createCameraFeatureHandlers(
  devices: DeviceManager,
): Pick<Handlers, CameraFeatureCommandName> {
  const featureCamera = (): FeatureCamera => {
    const cam = devices.camera;
    if (!cam) throw new StateError('No camera is configured');
    if (!isFeatureCamera(cam))
      throw new UnsupportedError(
        `Camera ${cam.id} has no named features (only GenICam cameras do); use the camera.* commands`,
        { cameraId: cam.id },
      );
    return cam;
  };
  return {
    'camera.listFeatures': async () => {
      const cam = featureCamera();
      const features: FeatureView[] = [];
      for (const name of cam.listFeatures()) features.push(await view(cam, name));
      return { cameraId: cam.id, features };
    },
    'camera.getFeature': async (p) => view(featureCamera(), p.name),
    'camera.setFeature': async (p) => {
      const cam = featureCamera();
      const managedBy = MANAGED_FEATURES[p.name];
      if (managedBy)
        throw new StateError(
          `Camera feature ${p.name} is set through ${managedBy}, not camera.setFeature, so the host's camera state stays true`,
          { feature: p.name, managedBy },
        );
      await cam.setFeature(p.name, p.value);
      await devices.refresh(cam.id);
      return view(cam, p.name);
    },
  };
}
