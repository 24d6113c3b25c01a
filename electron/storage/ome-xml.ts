/**
 * OME-XML (schema 2016-06) for a dataset: one Image per stage position, channels with
 * name / colour / excitation, physical sizes, and one Plane per written frame with its
 * timing, exposure and stage position. Used as the OME-TIFF ImageDescription (with
 * TiffData mapping each plane to its IFD) and as the OME-Zarr `OME/METADATA.ome.xml`
 * (MetadataOnly). Facts: OME Data Model 2016-06 (Pixels = Channel*, TiffData+|MetadataOnly,
 * Plane*; Color is a signed 32-bit RGBA integer).
 */
import type { DatasetLayout, FrameRecord } from './layout';

const ns = 'http://www.openmicroscopy.org/Schemas/OME/2016-06';

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** RRGGBB → OME Color: RGBA packed in a signed 32-bit integer, alpha 255. */
export function omeColor(colorHex: string): number {
  return (parseInt(colorHex, 16) << 8) | 0xff | 0;
}

function attrs(a: Record<string, string | number | undefined>): string {
  return Object.entries(a)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

export interface OmeXmlPlane {
  record: FrameRecord;
  /** OME-TIFF only: the IFD (0-based, in file order) holding this plane. */
  ifd?: number;
}

export interface OmeXmlOptions {
  layout: DatasetLayout;
  /** Written planes; their order is the file order for OME-TIFF. */
  planes: readonly OmeXmlPlane[];
  /** 'tiff' emits TiffData per plane; 'metadata-only' emits MetadataOnly (OME-Zarr). */
  pixelsData: 'tiff' | 'metadata-only';
  /** Acquisition start (epoch ms) used for AcquisitionDate and Plane DeltaT. */
  startedAtMs: number;
}

export function buildOmeXml(o: OmeXmlOptions): string {
  const { layout } = o;
  const { sizes, physical } = layout;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<OME xmlns="${ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"` +
      ` xsi:schemaLocation="${ns} ${ns}/ome.xsd" Creator="Aquila">`,
  );
  for (let p = 0; p < layout.positions; p++) {
    const planes = o.planes.filter((pl) => pl.record.index.p === p);
    out.push(
      `<Image${attrs({ ID: `Image:${p}`, Name: layout.positions > 1 ? `${layout.name} position ${p}` : layout.name })}>`,
    );
    out.push(
      `<AcquisitionDate>${new Date(o.startedAtMs).toISOString().slice(0, 19)}</AcquisitionDate>`,
    );
    out.push(
      `<Pixels${attrs({
        ID: `Pixels:${p}`,
        DimensionOrder: 'XYZCT',
        Type: layout.pixelType,
        SizeX: sizes.x,
        SizeY: sizes.y,
        SizeZ: sizes.z,
        SizeC: sizes.c,
        SizeT: sizes.t,
        PhysicalSizeX: physical.pixelSizeUm,
        PhysicalSizeXUnit: 'µm',
        PhysicalSizeY: physical.pixelSizeUm,
        PhysicalSizeYUnit: 'µm',
        PhysicalSizeZ: physical.zStepUm,
        PhysicalSizeZUnit: 'µm',
        TimeIncrement: physical.timeIntervalS,
        TimeIncrementUnit: 's',
        BigEndian: 'false',
        Interleaved: 'false',
      })}>`,
    );
    layout.channels.forEach((ch, c) => {
      out.push(
        `<Channel${attrs({
          ID: `Channel:${p}:${c}`,
          Name: ch.name,
          SamplesPerPixel: 1,
          Color: omeColor(ch.colorHex),
          ExcitationWavelength: ch.excitationNm,
          ExcitationWavelengthUnit: ch.excitationNm === undefined ? undefined : 'nm',
        })}/>`,
      );
    });
    if (o.pixelsData === 'metadata-only' || planes.length === 0) out.push('<MetadataOnly/>');
    else
      for (const pl of planes) {
        const i = pl.record.index;
        out.push(
          `<TiffData${attrs({ IFD: pl.ifd, FirstZ: i.z, FirstC: i.c, FirstT: i.t, PlaneCount: 1 })}/>`,
        );
      }
    for (const pl of planes) {
      const { index: i, meta } = pl.record;
      out.push(
        `<Plane${attrs({
          TheZ: i.z,
          TheC: i.c,
          TheT: i.t,
          DeltaT: (meta.timestampMs - o.startedAtMs) / 1000,
          DeltaTUnit: 's',
          ExposureTime: meta.exposureMs,
          ExposureTimeUnit: 'ms',
          PositionX: meta.stage.xUm,
          PositionXUnit: 'µm',
          PositionY: meta.stage.yUm,
          PositionYUnit: 'µm',
          PositionZ: meta.stage.zUm,
          PositionZUnit: 'µm',
        })}/>`,
      );
    }
    out.push('</Pixels>', '</Image>');
  }
  out.push('</OME>');
  return out.join('\n');
}
