/**
 * The USB seam of the USB3 Vision driver: find USB3 Vision devices and move bytes on their
 * bulk endpoints. The real implementation is node-usb (node-usb-backend.ts); the simulator
 * (sim/) implements the same seam with the bytes a device would put on its endpoints.
 *
 * A USB3 Vision device (USB3 Vision 1.x §5) has an interface association with function
 * class 0xEF (miscellaneous), subclass 0x05, protocol 0x00, grouping a control interface
 * (protocol 0x00: bulk OUT + bulk IN for GenCP), an optional event interface (protocol
 * 0x01: bulk IN) and a streaming interface (protocol 0x02: bulk IN).
 */

export const U3V_CLASS = 0xef;
export const U3V_SUBCLASS = 0x05;
export const U3V_PROTOCOL = { control: 0x00, event: 0x01, stream: 0x02 } as const;

export interface UsbDeviceInfo {
  vendorId: number;
  productId: number;
  /** USB string descriptors; null when the OS would not let us read them. */
  serial: string | null;
  manufacturer: string | null;
  product: string | null;
  /** Where it is plugged (bus and port path), for messages and listing. */
  location: string;
}

/** What a failed transfer means, independent of the USB library. */
export type UsbTransferStatus = 'no-device' | 'stall' | 'timeout' | 'error';

export class UsbTransferError extends Error {
  constructor(
    readonly status: UsbTransferStatus,
    message: string,
  ) {
    super(message);
    this.name = 'UsbTransferError';
  }
}

export type U3vEndpoint = 'control' | 'event' | 'stream';

/** An opened USB3 Vision device with its control and streaming interfaces claimed. */
export interface UsbLink {
  readonly info: UsbDeviceInfo;
  /** Bulk OUT on the control interface (whole GenCP command in one transfer). */
  controlOut(data: Buffer, timeoutMs: number): Promise<void>;
  /**
   * One bulk IN transfer of at most `length` bytes; resolves with what the device sent (a
   * short transfer ends early). Rejects with UsbTransferError.
   */
  transferIn(endpoint: U3vEndpoint, length: number, timeoutMs: number): Promise<Buffer>;
  /** Clears a halt (stall) on an endpoint of the control or streaming interface. */
  clearHalt(endpoint: U3vEndpoint | 'control-out'): Promise<void>;
  close(): Promise<void>;
}

export interface UsbBackend {
  /** USB3 Vision devices present now. Rejects with a readable reason when USB is unusable. */
  list(): Promise<UsbDeviceInfo[]>;
  /** Opens the device at `info.location` and claims its U3V interfaces. */
  open(info: UsbDeviceInfo): Promise<UsbLink>;
}
