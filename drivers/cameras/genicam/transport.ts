/**
 * The seam between the transport-neutral GenICam camera (genicam-camera.ts) and a GenICam
 * transport (GigE Vision, USB3 Vision). A transport has already read the device's bootstrap
 * registers and GenICam XML when it is handed over; its node map talks to the device's
 * registers, and its stream delivers whole frames or reports incomplete ones.
 */
import type { DeviceIdentity } from '../../devices';
import type { NodeMap } from './node-map';

export interface StreamFrame {
  blockId: number;
  /** PFNC pixel format code as the device reported it for this frame. */
  pixelFormat: number;
  width: number;
  height: number;
  /** Holds the whole payload (at least the configured payload size). */
  data: Buffer;
}

export interface IncompleteFrame {
  blockId: number;
  reason: string;
  missingPackets?: number;
}

export interface StreamStart {
  /** Bytes of image data in one frame, as the device computes them (SFNC PayloadSize). */
  payloadSize: number;
  /**
   * The buffer for the next frame (≥ payloadSize bytes), one per frame: a delivered frame's
   * data may become its pixels. A transport that receives into buffers of its own (one per
   * frame, e.g. GigE's stream thread) may ignore it.
   */
  buffer: () => Buffer;
  onFrame: (frame: StreamFrame) => void;
  /** A frame that arrived damaged or short; it is never delivered. */
  onIncomplete: (frame: IncompleteFrame) => void;
}

export interface FrameStream {
  /** Starts receiving; resolves when the device may be told to start acquisition. */
  start(setup: StreamStart): Promise<void>;
  /**
   * Called after AcquisitionStop: stops receiving. A frame the device started but did not
   * finish must be reported to onIncomplete, never dropped silently.
   */
  stop(): Promise<void>;
  close(): Promise<void>;
}

export interface GenicamTransport {
  /** Names the device in messages, e.g. "GigE camera 10.0.0.5". */
  readonly label: string;
  readonly identity: DeviceIdentity;
  readonly nodeMap: NodeMap;
  readonly stream: FrameStream;
  /** Called once when the device is gone (heartbeat lost, USB device unplugged). */
  onLost(listener: (err: Error) => void): void;
  isLost(): boolean;
  /** Releases the device (best effort when it is gone). */
  close(): Promise<void>;
}
