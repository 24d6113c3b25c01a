/**
 * `driver: "gige-vision"`: a GigE Vision camera as a GenICam camera (genicam-camera.ts) over
 * GVCP control (gige-control.ts) and a GVSP stream (gige-acquisition.ts). The camera is
 * found by address, or by serial / MAC among those answering discovery.
 */
import dgram from 'node:dgram';
import type { DriverContext } from '../../driver-types';
import { DisconnectedError } from '../../errors';
import { parseOrThrow } from '../../validation';
import { GenicamCamera } from '../genicam/genicam-camera';
import type { GenicamTransport } from '../genicam/transport';
import { defaultBroadcastTargets, broadcastAddressOf, discoverGige } from './discovery';
import { GigeAcquisition } from './gige-acquisition';
import { gigeCameraOptions, type GigeCameraOptions } from './gige-camera-options';
import { GigeControl } from './gige-control';

/** The local address the OS would use to reach `address` (no packet is sent). */
async function routeTo(address: string, port: number): Promise<string> {
  const s = dgram.createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.connect(port, address, () => resolve());
    });
    return s.address().address;
  } finally {
    s.close();
  }
}

/** The camera's address: `o.address`, or where the camera with `o.serial` / `o.mac` answered. */
export async function resolveGigeAddress(o: GigeCameraOptions): Promise<string> {
  if (!o.serial && !o.mac) return o.address!;
  const targets = o.address
    ? [o.address]
    : o.interface
      ? [broadcastAddressOf(o.interface)]
      : defaultBroadcastTargets();
  const found = await discoverGige({ addresses: targets, port: o.port });
  const match = found.find(
    (c) => (!o.serial || c.serial === o.serial) && (!o.mac || c.mac === o.mac),
  );
  if (!match) {
    const want = [o.serial && `serial ${o.serial}`, o.mac && `MAC ${o.mac}`]
      .filter(Boolean)
      .join(' and ');
    const seen = found.map((c) => `${c.serial} (${c.mac}) at ${c.from}`).join(', ') || 'none';
    throw new DisconnectedError(
      `no GigE camera with ${want} answered discovery at ${targets.join(', ') || 'no address'}; found: ${seen}`,
      { serial: o.serial, mac: o.mac },
    );
  }
  return match.from;
}

async function openGige(
  o: GigeCameraOptions,
  warn: (message: string) => void,
): Promise<GenicamTransport> {
  const address = await resolveGigeAddress(o);
  const control = await GigeControl.open({
    address,
    port: o.port,
    timeoutMs: o.timeoutMs,
    retries: o.retries,
  });
  try {
    const host = o.streamAddress ?? (await routeTo(address, o.port));
    const stream = await GigeAcquisition.open(control, host, o, warn);
    const { vendor, model, serial, firmware } = control.info;
    return {
      label: `GigE camera ${address}`,
      identity: { vendor, model, serial, firmware },
      nodeMap: control.nodeMap,
      stream,
      onLost: (l) => control.onLost(l),
      isLost: () => control.isLost(),
      close: async () => {
        await stream.close().catch(() => undefined);
        await control.close();
      },
    };
  } catch (err) {
    await control.close().catch(() => undefined);
    throw err;
  }
}

export class GigeCamera extends GenicamCamera {
  constructor(id: string, options: unknown, ctx: Pick<DriverContext, 'log'>) {
    const o = parseOrThrow(gigeCameraOptions, options, `device "${id}" options`);
    super(id, o, () => openGige(o, (msg) => ctx.log('warn', `${id}: ${msg}`)), ctx);
  }
}

export function createGigeCamera(
  spec: { id: string; options: unknown },
  ctx: Pick<DriverContext, 'log'>,
): GigeCamera {
  return new GigeCamera(spec.id, spec.options, ctx);
}
