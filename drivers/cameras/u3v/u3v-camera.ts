/**
 * `driver: "usb3-vision"`: a USB3 Vision camera as a GenICam camera (genicam-camera.ts) over
 * GenCP control (u3v-control.ts) and the streaming interface (u3v-stream.ts). The USB side
 * is a seam (usb-transport.ts): node-usb for real devices, loaded only when one is opened,
 * or the in-process simulator with `options.simulate`.
 */
import type { DriverContext } from '../../driver-types';
import { DisconnectedError, ValidationError } from '../../errors';
import { parseOrThrow } from '../../validation';
import { GenicamCamera } from '../genicam/genicam-camera';
import type { GenicamTransport } from '../genicam/transport';
import { nodeUsbBackend } from './node-usb-backend';
import { simulatedU3vBus } from './sim/u3v-sim-bus';
import { u3vCameraOptions, type U3vCameraOptions } from './u3v-camera-options';
import { U3vControl } from './u3v-control';
import { U3vStream } from './u3v-stream';
import type { UsbBackend, UsbDeviceInfo } from './usb-transport';

const hex4 = (v: number) => `0x${v.toString(16).padStart(4, '0')}`;

/** The one listed device the options select; throws naming what was found otherwise. */
export function selectU3vDevice(found: UsbDeviceInfo[], o: U3vCameraOptions): UsbDeviceInfo {
  const matches = found.filter(
    (d) =>
      (o.vendorId === undefined || d.vendorId === o.vendorId) &&
      (o.productId === undefined || d.productId === o.productId) &&
      (o.serial === undefined || d.serial === o.serial),
  );
  const seen =
    found
      .map(
        (d) =>
          `${hex4(d.vendorId)}:${hex4(d.productId)} serial ${d.serial ?? '?'} at ${d.location}`,
      )
      .join(', ') || 'none';
  if (matches.length === 0) {
    const want = [
      o.vendorId !== undefined && `vendor ${hex4(o.vendorId)}`,
      o.productId !== undefined && `product ${hex4(o.productId)}`,
      o.serial !== undefined && `serial ${o.serial}`,
    ].filter(Boolean);
    throw new DisconnectedError(
      `no USB3 Vision camera${want.length ? ` with ${want.join(', ')}` : ''} is plugged in; found: ${seen}`,
    );
  }
  if (matches.length > 1)
    throw new ValidationError(
      `${matches.length} USB3 Vision cameras match; give options.serial to choose (found: ${seen})`,
    );
  return matches[0]!;
}

async function openU3v(
  o: U3vCameraOptions,
  backend: UsbBackend,
  warn: (message: string) => void,
): Promise<GenicamTransport> {
  const info = selectU3vDevice(await backend.list(), o);
  const link = await backend.open(info);
  const control = new U3vControl(link, o);
  try {
    const { identity, sirm, manifest } = await control.bootstrap();
    const nodeMap = await control.loadNodeMap(manifest);
    control.startWatch(o.watchMs);
    const stream = new U3vStream(control, sirm, {
      transferSize: o.transferSize,
      frameTimeoutMs: o.frameTimeoutMs,
      pollMs: 100,
      warn,
    });
    return {
      label: control.label,
      identity,
      nodeMap,
      stream,
      onLost: (l) => control.onLost(l),
      isLost: () => control.isLost(),
      close: async () => {
        control.stopWatch();
        await stream.close().catch(() => undefined);
        await link.close().catch(() => undefined);
      },
    };
  } catch (err) {
    control.stopWatch();
    await link.close().catch(() => undefined);
    throw err;
  }
}

export class U3vCamera extends GenicamCamera {
  constructor(id: string, options: unknown, ctx: Pick<DriverContext, 'log'>, backend?: UsbBackend) {
    const o = parseOrThrow(u3vCameraOptions, options, `device "${id}" options`);
    const usb = backend ?? (o.simulate ? simulatedU3vBus() : nodeUsbBackend());
    super(id, o, () => openU3v(o, usb, (msg) => ctx.log('warn', `${id}: ${msg}`)), ctx);
  }
}

export function createU3vCamera(
  spec: { id: string; options: unknown },
  ctx: Pick<DriverContext, 'log'>,
): U3vCamera {
  return new U3vCamera(spec.id, spec.options, ctx);
}
