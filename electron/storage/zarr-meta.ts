/**
 * OME-Zarr metadata documents. 0.4 = Zarr v2 (`.zgroup`/`.zattrs`/`.zarray`, chunks of one
 * plane, `/` separator); 0.5 = Zarr v3 (`zarr.json`, OME keys under `attributes.ome`,
 * optional `sharding_indexed` with the shard index at the START of each shard so a shard
 * can be appended plane by plane and stay readable). Several positions use the
 * bioformats2raw layout (series groups `0/`, `1/`, … and `OME/METADATA.ome.xml`).
 * Facts: NGFF spec 0.4 / 0.5, Zarr v2 / v3 specs, zarr v3 sharding codec spec.
 */
import type { DatasetLayout, FrameIndex } from './layout';

export type ZarrVersion = 2 | 3;

export function zarrVersion(l: Pick<DatasetLayout, 'format'>): ZarrVersion {
  return l.format === 'ome-zarr-0.5' ? 3 : 2;
}

/** Planes per shard along z (1 = unsharded); only for Zarr v3, never more than sizes.z. */
export function shardPlanesOf(l: DatasetLayout): number {
  return zarrVersion(l) === 3 ? Math.min(l.shardPlanes, l.sizes.z) : 1;
}

/** Folder of position p's image group, relative to the `.ome.zarr` root ('' = the root). */
export function imageGroupPath(l: DatasetLayout, p: number): string {
  return l.positions > 1 ? String(p) : '';
}

function join(...parts: string[]): string {
  return parts.filter((s) => s !== '').join('/');
}

/** Chunk (v2, v3 unsharded) or shard (v3 sharded) key of a frame, relative to the root. */
export function chunkKey(l: DatasetLayout, i: FrameIndex): string {
  const arr = join(imageGroupPath(l, i.p), '0');
  if (zarrVersion(l) === 2) return `${arr}/${i.t}/${i.c}/${i.z}/0/0`;
  return `${arr}/c/${i.t}/${i.c}/${Math.floor(i.z / shardPlanesOf(l))}/0/0`;
}

function multiscales(l: DatasetLayout, version: '0.4' | '0.5'): unknown {
  const { physical: ph } = l;
  return {
    ...(version === '0.4' ? { version } : {}),
    name: l.name,
    axes: [
      { name: 't', type: 'time', unit: 'second' },
      { name: 'c', type: 'channel' },
      { name: 'z', type: 'space', unit: 'micrometer' },
      { name: 'y', type: 'space', unit: 'micrometer' },
      { name: 'x', type: 'space', unit: 'micrometer' },
    ],
    datasets: [
      {
        path: '0',
        coordinateTransformations: [
          {
            type: 'scale',
            scale: [ph.timeIntervalS, 1, ph.zStepUm, ph.pixelSizeUm, ph.pixelSizeUm],
          },
        ],
      },
    ],
  };
}

function omero(l: DatasetLayout, version: '0.4' | '0.5'): unknown {
  return {
    ...(version === '0.4' ? { version } : {}),
    name: l.name,
    channels: l.channels.map((ch) => ({
      label: ch.name,
      color: ch.colorHex.toUpperCase(),
      window: ch.window,
      active: true,
      coefficient: 1,
      family: 'linear',
      inverted: false,
    })),
    rdefs: { model: 'color', defaultT: 0, defaultZ: Math.floor(l.sizes.z / 2) },
  };
}

/** Every metadata file to write at open: relative path → JSON value. */
export function zarrMetadataFiles(l: DatasetLayout): Map<string, unknown> {
  const files = new Map<string, unknown>();
  const { t, c, z, y, x } = l.sizes;
  const shape = [t, c, z, y, x];
  const multi = l.positions > 1;
  const series = Array.from({ length: l.positions }, (_, p) => String(p));
  if (zarrVersion(l) === 2) {
    if (multi) {
      files.set('.zgroup', { zarr_format: 2 });
      files.set('.zattrs', { 'bioformats2raw.layout': 3 });
      files.set('OME/.zgroup', { zarr_format: 2 });
      files.set('OME/.zattrs', { series });
    }
    for (let p = 0; p < l.positions; p++) {
      const g = imageGroupPath(l, p);
      files.set(join(g, '.zgroup'), { zarr_format: 2 });
      files.set(join(g, '.zattrs'), {
        multiscales: [multiscales(l, '0.4')],
        omero: omero(l, '0.4'),
      });
      files.set(join(g, '0', '.zarray'), {
        zarr_format: 2,
        shape,
        chunks: [1, 1, 1, y, x],
        dtype: l.pixelType === 'uint8' ? '|u1' : '<u2',
        compressor: null,
        fill_value: 0,
        order: 'C',
        filters: null,
        dimension_separator: '/',
      });
    }
    return files;
  }
  const group = (attributes: unknown) => ({ zarr_format: 3, node_type: 'group', attributes });
  if (multi) {
    files.set('zarr.json', group({ ome: { version: '0.5', 'bioformats2raw.layout': 3 } }));
    files.set('OME/zarr.json', group({ ome: { version: '0.5', series } }));
  }
  const s = shardPlanesOf(l);
  const bytesCodec = { name: 'bytes', configuration: { endian: 'little' } };
  const codecs =
    s > 1
      ? [
          {
            name: 'sharding_indexed',
            configuration: {
              chunk_shape: [1, 1, 1, y, x],
              codecs: [bytesCodec],
              index_codecs: [bytesCodec, { name: 'crc32c' }],
              index_location: 'start',
            },
          },
        ]
      : [bytesCodec];
  for (let p = 0; p < l.positions; p++) {
    const g = imageGroupPath(l, p);
    files.set(
      join(g, 'zarr.json'),
      group({
        ome: { version: '0.5', multiscales: [multiscales(l, '0.5')], omero: omero(l, '0.5') },
      }),
    );
    files.set(join(g, '0', 'zarr.json'), {
      zarr_format: 3,
      node_type: 'array',
      shape,
      data_type: l.pixelType,
      chunk_grid: { name: 'regular', configuration: { chunk_shape: [1, 1, s, y, x] } },
      chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
      fill_value: 0,
      codecs,
      dimension_names: ['t', 'c', 'z', 'y', 'x'],
    });
  }
  return files;
}
