/** USB3 Vision codecs (GenCP, manifest, stream leader/trailer) and device selection. */
import { describe, expect, it } from 'vitest';
import {
  decodeManifestEntry,
  encodeManifestEntry,
} from '../../../../drivers/cameras/u3v/bootstrap';
import {
  GencpCmd,
  decodeAck,
  decodeCommand,
  encodeAck,
  encodeCommand,
  nextRequestId,
  readMemScd,
} from '../../../../drivers/cameras/u3v/gencp';
import { selectU3vDevice } from '../../../../drivers/cameras/u3v/u3v-camera';
import { u3vCameraOptions } from '../../../../drivers/cameras/u3v/u3v-camera-options';
import {
  decodeLeader,
  decodeTrailer,
  encodeLeader,
  encodeTrailer,
} from '../../../../drivers/cameras/u3v/uvsp';
import type { UsbDeviceInfo } from '../../../../drivers/cameras/u3v/usb-transport';

describe('GenCP codec', () => {
  it('lays out a READMEM command as the spec does (little-endian, prefix U3VC)', () => {
    const b = encodeCommand({
      flags: 0x4000,
      command: GencpCmd.readMem,
      requestId: 0x1234,
      scd: readMemScd(0x1d8, 8),
    });
    expect(b.toString('hex')).toBe(
      '55335643' + '0040' + '0008' + '0c00' + '3412' + 'd801000000000000' + '0000' + '0800',
    );
    expect(decodeCommand(b)).toMatchObject({ flags: 0x4000, command: 0x0800, requestId: 0x1234 });
  });

  it('refuses packets without the prefix or cut short, naming what is wrong', () => {
    const ack = encodeAck({
      status: 0,
      command: GencpCmd.readMemAck,
      requestId: 1,
      scd: Buffer.alloc(4),
    });
    expect(decodeAck(ack).scd).toHaveLength(4);
    const bad = Buffer.from(ack);
    bad.writeUInt32LE(0, 0);
    expect(() => decodeAck(bad)).toThrow(/not a GenCP packet/);
    expect(() => decodeAck(ack.subarray(0, 14))).toThrow(/cut short: 2 of 4 data bytes/);
  });

  it('never uses request id 0', () => {
    expect(nextRequestId(0xffff)).toBe(1);
    expect(nextRequestId(7)).toBe(8);
  });
});

describe('manifest and stream headers', () => {
  it('round-trips a manifest entry, the zip file type in schema bits 15..10', () => {
    const e = { version: '1.2.3', zipped: true, address: 0x4000, size: 1234 };
    const b = encodeManifestEntry(e);
    expect(b.readUInt32LE(4)).toBe(1 << 10);
    expect(decodeManifestEntry(b)).toEqual(e);
    b.writeUInt32LE(5 << 10, 4);
    expect(() => decodeManifestEntry(b)).toThrow(/unknown file type 5/);
  });

  it('round-trips leader and trailer, and tells them from payload', () => {
    const leader = {
      blockId: 9,
      payloadType: 1,
      timestamp: 5n,
      pixelFormat: 0x01100007,
      width: 64,
      height: 8,
      offsetX: 2,
      offsetY: 3,
    };
    expect(decodeLeader(encodeLeader(leader))).toEqual(leader);
    const trailer = { blockId: 9, status: 0, validPayloadSize: 1024, height: 8 };
    expect(decodeTrailer(encodeTrailer(trailer))).toEqual(trailer);
    expect(decodeLeader(encodeTrailer(trailer))).toBeNull();
    expect(decodeTrailer(Buffer.alloc(36))).toBeNull();
  });
});

describe('device selection', () => {
  const dev = (serial: string, productId = 1): UsbDeviceInfo => ({
    vendorId: 0x2676,
    productId,
    serial,
    manufacturer: 'V',
    product: 'P',
    location: `bus 1 port ${serial}`,
  });
  const found = [dev('A'), dev('B', 2)];
  const opts = (o: object) => u3vCameraOptions.parse(o);

  it('picks by serial, by vendor/product, and the only one when nothing is given', () => {
    expect(selectU3vDevice(found, opts({ serial: 'B' })).serial).toBe('B');
    expect(selectU3vDevice(found, opts({ vendorId: 0x2676, productId: 1 })).serial).toBe('A');
    expect(selectU3vDevice([dev('C')], opts({})).serial).toBe('C');
  });

  it('says what it found when nothing or several match', () => {
    expect(() => selectU3vDevice(found, opts({ serial: 'Z' }))).toThrow(
      /no USB3 Vision camera with serial Z is plugged in; found: 0x2676:0x0001 serial A at bus 1 port A, 0x2676:0x0002 serial B/,
    );
    expect(() => selectU3vDevice(found, opts({}))).toThrow(
      /2 USB3 Vision cameras match; give options.serial/,
    );
    expect(() => selectU3vDevice([], opts({}))).toThrow(/found: none/);
  });
});
