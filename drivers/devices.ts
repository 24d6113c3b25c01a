/**
 * Device interfaces. Units live in names (µm, ms, mW, nm). Every implementation — the
 * in-process simulator and every vendor wire driver — passes the same contract suite
 * (test/drivers/contract/). Implementations do not enforce facility safety limits: the
 * host's safety layer does that for every caller. They do enforce their own hardware
 * ranges (e.g. a laser's max power) and report them as typed errors.
 */

export type DeviceKind = 'xy-stage' | 'z-drive' | 'laser' | 'camera' | 'focus-sensor';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface DeviceIdentity {
  vendor: string;
  model: string;
  serial: string;
  firmware: string;
}

export type DeviceEvent =
  | { type: 'connection'; state: ConnectionState; error?: Error }
  /** Something changed that a poll would see (position, emission, power); the host re-reads. */
  | { type: 'changed' }
  /**
   * A camera frame lost or cut short in transfer: counted, never delivered (GenICam cameras).
   * Every one is reported here, whereas the log rate-limits them.
   */
  | { type: 'incomplete-frame'; blockId: number; reason: string; missingPackets?: number };

export type Unsubscribe = () => void;

export interface Device {
  readonly id: string;
  readonly kind: DeviceKind;
  /**
   * Opens the transport, identifies the device and puts it in a known state. A laser is
   * switched off here (at every connect and re-connect) unless its config opts out.
   */
  connect(): Promise<DeviceIdentity>;
  /** Closes the transport. Lasers are switched off first by the host, not here. */
  disconnect(): Promise<void>;
  subscribe(listener: (event: DeviceEvent) => void): Unsubscribe;
}

export interface XYPositionUm {
  xUm: number;
  yUm: number;
}

export interface XYStage extends Device {
  readonly kind: 'xy-stage';
  getPositionUm(): Promise<XYPositionUm>;
  /** Absolute move; resolves with the final position when motion ends (or was stopped). */
  moveToUm(target: XYPositionUm): Promise<XYPositionUm>;
  /** Stops motion at once; a pending moveToUm resolves with where the stage stopped. */
  stop(): Promise<void>;
  isBusy(): Promise<boolean>;
  /** true when stop() halts every axis of the controller (the Z drive too), not only XY. */
  readonly stopHaltsAllAxes?: boolean;
}

export interface ZDrive extends Device {
  readonly kind: 'z-drive';
  getPositionUm(): Promise<number>;
  /** Absolute move; resolves with the final position when motion ends (or was stopped). */
  moveToUm(zUm: number): Promise<number>;
  stop(): Promise<void>;
  isBusy(): Promise<boolean>;
  /** true when stop() halts every axis of the controller (XY too), not only Z. */
  readonly stopHaltsAllAxes?: boolean;
}

export interface Laser extends Device {
  readonly kind: 'laser';
  readonly wavelengthNm: number;
  readonly maxPowerMw: number;
  setEmission(on: boolean): Promise<void>;
  getEmission(): Promise<boolean>;
  /** Setpoint in mW, 0..maxPowerMw; outside that range rejects with a LimitError. */
  setPowerMw(powerMw: number): Promise<void>;
  getPowerMw(): Promise<number>;
  /** The safety interlock as the head reports it; `unknown` when it cannot report it. */
  getInterlock(): Promise<InterlockState>;
}

export type InterlockState = 'closed' | 'open' | 'unknown';

export interface RoiPx {
  xPx: number;
  yPx: number;
  widthPx: number;
  heightPx: number;
}

export interface CameraSensor {
  widthPx: number;
  heightPx: number;
  /** Pixel size at the sample plane (camera pixel / magnification), binning 1. */
  pixelSizeUm: number;
  bitDepth: number;
}

/** One image as the camera delivered it; the host adds stage and laser metadata. */
export interface RawFrame {
  /** Camera's own counter, from 0 at connect; gaps mean frames lost in the camera/transport. */
  seq: number;
  widthPx: number;
  heightPx: number;
  /** Row-major, widthPx * heightPx values. Ownership passes to the receiver. */
  pixels: Uint16Array;
  /** Host clock (Date.now() epoch ms) at the end of exposure. */
  timestampMs: number;
  exposureMs: number;
  binning: number;
}

export interface Camera extends Device {
  readonly kind: 'camera';
  readonly sensor: CameraSensor;
  setExposureMs(exposureMs: number): Promise<void>;
  getExposureMs(): Promise<number>;
  setBinning(binning: number): Promise<void>;
  getBinning(): Promise<number>;
  /** null = full sensor. ROI is in binned pixels. */
  setRoi(roi: RoiPx | null): Promise<void>;
  getRoi(): Promise<RoiPx | null>;
  /**
   * Exposes and reads out one frame. `into`: a buffer the camera may fill instead of
   * allocating one, when it holds exactly widthPx × heightPx samples (a recycled frame
   * buffer; ownership passes to the camera, and the frame's pixels may be it). Cameras that
   * cannot fill caller buffers ignore it.
   */
  snap(into?: ArrayBuffer): Promise<RawFrame>;
  /** Continuous acquisition; frames arrive on `onFrame` until stopLive. */
  startLive(onFrame: (frame: RawFrame) => void): Promise<void>;
  stopLive(): Promise<void>;
  isLive(): boolean;
}

/** Issue #14: a camera's own named features (GenICam and the like), beside the Camera interface. */
export type CameraFeatureValue = number | string | boolean;

export interface CameraFeatureInfo {
  name: string;
  /** The device's node type: Integer, Float, Enumeration, Boolean, String, Command, … */
  type: string;
  /** RW, RO, WO, NA (not available now), NI (not implemented). */
  access: string;
  description?: string;
  unit?: string;
  min?: number;
  max?: number;
  inc?: number;
  /** Enumeration entries selectable now. */
  entries?: string[];
}

/**
 * A camera whose features can be read and written by name. `setFeature(name, null)` executes a
 * command feature. Writes are checked by the device model (range, entries, access: a
 * read-only or locked feature is refused naming it).
 */
export interface FeatureCamera extends Camera {
  getFeature(name: string): Promise<CameraFeatureValue>;
  setFeature(name: string, value: CameraFeatureValue | null): Promise<void>;
  describeFeature(name: string): Promise<CameraFeatureInfo>;
  /** Feature names, in the device's own order. */
  listFeatures(): string[];
}

export function isFeatureCamera(camera: Camera): camera is FeatureCamera {
  const c = camera as Partial<FeatureCamera>;
  return (
    typeof c.getFeature === 'function' &&
    typeof c.setFeature === 'function' &&
    typeof c.describeFeature === 'function' &&
    typeof c.listFeatures === 'function'
  );
}

/**
 * Reflection-based focus sensor: an infrared spot reflected by the coverslip onto a line
 * sensor, whose position moves with the objective–coverslip distance. Read-only: the focus
 * lock (electron/automation/focus-lock.ts) closes the loop through the guarded Z drive.
 */
export interface FocusSensor extends Device {
  readonly kind: 'focus-sensor';
  /**
   * One reading of the reflected spot. `positionPx` is null when there is no usable
   * signal (no reflection, blocked, or the spot outside the sensor). `signal` 0..1 is the
   * relative spot intensity; `timestampMs` is the device's clock at the reading.
   */
  read(): Promise<{ positionPx: number | null; signal: number; timestampMs: number }>;
  /** Sensor range in px (the spot position is valid within it). */
  readonly rangePx: { min: number; max: number };
}

export type AnyDevice = XYStage | ZDrive | Laser | Camera | FocusSensor;
