import { describe, expect, it } from 'vitest';
import { crc32c } from '../../../electron/storage/crc32c';
import { buildOmeXml, omeColor } from '../../../electron/storage/ome-xml';
import { allIndices, metaFor, smallLayout, xmllintProblems } from './fixtures';

describe('OME-XML', () => {
  it('packs RRGGBB as a signed 32-bit RGBA integer with alpha 255', () => {
    expect(omeColor('FF0000')).toBe(-16776961); // 0xFF0000FF
    expect(omeColor('00FF00')).toBe(16711935); // 0x00FF00FF
    expect(omeColor('ffffff')).toBe(-1);
  });

  it('escapes names and validates against the 2016-06 schema, with and without TiffData', () => {
    const layout = smallLayout('ome-tiff');
    const planes = allIndices(layout).map((index, ifd) => ({
      record: { index, meta: metaFor(layout, index, ifd), writtenAtMs: 0 },
      ifd,
    }));
    const tiff = buildOmeXml({
      layout,
      planes,
      pixelsData: 'tiff',
      startedAtMs: 1_700_000_000_000,
    });
    expect(tiff).toContain('Name="mCherry &lt;red&gt;"');
    expect(tiff).toContain('<TiffData IFD="23" FirstZ="2" FirstC="1" FirstT="1" PlaneCount="1"/>');
    expect(tiff).toContain('PhysicalSizeZ="2.5" PhysicalSizeZUnit="µm"');
    expect(xmllintProblems(tiff)).toBeNull();
    const empty = buildOmeXml({ layout, planes: [], pixelsData: 'tiff', startedAtMs: 0 });
    expect(xmllintProblems(empty)).toBeNull();
    expect(xmllintProblems(tiff.replace('DimensionOrder="XYZCT"', 'DimensionOrder="bad"'))).toMatch(
      /DimensionOrder/,
    );
  });
});

describe('crc32c', () => {
  it('matches the Castagnoli check value', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });
});
