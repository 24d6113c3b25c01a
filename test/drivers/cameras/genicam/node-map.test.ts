import { describe, expect, it } from 'vitest';
import { NodeMap, type GenicamPort } from '../../../../drivers/cameras/genicam/node-map';
import { parseGenicamXml } from '../../../../drivers/cameras/genicam/xml';
import { unzipFirstFile, zipOneFile } from '../../../../drivers/cameras/genicam/zip';

/** A register space in memory that counts reads and writes. */
function memoryPort(size = 0x1000) {
  const mem = Buffer.alloc(size);
  const log = { reads: 0, writes: [] as number[] };
  const port: GenicamPort = {
    read: async (a, n) => {
      log.reads++;
      return Buffer.from(mem.subarray(a, a + n));
    },
    write: async (a, d) => {
      log.writes.push(a);
      d.copy(mem, a);
    },
  };
  return { mem, log, port };
}

const reg = (name: string, addr: number, extra = '', access = 'RW', endian = 'BigEndian') =>
  `<IntReg Name="${name}"><Address>${addr}</Address><Length>4</Length><AccessMode>${access}</AccessMode>
   <pPort>Device</pPort><Sign>Unsigned</Sign><Endianess>${endian}</Endianess>${extra}</IntReg>`;

const xml = (body: string) => `<?xml version="1.0"?>
<RegisterDescription ModelName="T" VendorName="Aquila"><!-- test map -->
 <Category Name="Root"><pFeature>Width</pFeature><pFeature>Sub</pFeature></Category>
 <Category Name="Sub"><pFeature>PixelFormat</pFeature></Category>
 ${body}
 <Port Name="Device"/>
</RegisterDescription>`;

const BASIC = xml(`
 <Integer Name="SensorWidth"><pValue>SensorWidthReg</pValue></Integer>
 ${reg('SensorWidthReg', 0x10, '', 'RO')}
 <Integer Name="Width"><Description>Width &amp; more</Description><pValue>WidthReg</pValue>
   <Min>8</Min><pMax>SensorWidth</pMax><Inc>8</Inc></Integer>
 ${reg('WidthReg', 0x14)}
 <Enumeration Name="PixelFormat"><pValue>PixelFormatReg</pValue>
   <EnumEntry Name="Mono8"><Value>0x01080001</Value></EnumEntry>
   <EnumEntry Name="Mono16"><Value>17825799</Value></EnumEntry>
   <EnumEntry Name="Hidden"><Value>5</Value><pIsAvailable>Zero</pIsAvailable></EnumEntry></Enumeration>
 ${reg('PixelFormatReg', 0x18)}
 <Integer Name="Zero"><Value>0</Value></Integer>
 <IntSwissKnife Name="PayloadSize"><pVariable Name="W">Width</pVariable><pVariable Name="PF">PixelFormat</pVariable>
   <Constant Name="H">2</Constant><Formula><![CDATA[W * H * ((PF >> 16) & 0xFF) / 8]]></Formula></IntSwissKnife>
 <Float Name="ExposureTime"><pValue>ExposureConv</pValue><Min>10</Min><Max>1000000</Max><Unit>us</Unit></Float>
 <Converter Name="ExposureConv"><FormulaTo>FROM / 10</FormulaTo><FormulaFrom>TO * 10</FormulaFrom><pValue>ExposureReg</pValue></Converter>
 ${reg('ExposureReg', 0x1c)}
 <Float Name="Gain"><pValue>GainReg</pValue><Min>0</Min><Max>24</Max></Float>
 <FloatReg Name="GainReg"><Address>0x20</Address><Length>4</Length><AccessMode>RW</AccessMode><pPort>Device</pPort><Endianess>LittleEndian</Endianess></FloatReg>
 <Command Name="Start"><pValue>CmdReg</pValue><CommandValue>1</CommandValue></Command>
 ${reg('CmdReg', 0x24, '<Cachable>NoCache</Cachable>', 'WO')}
 <Boolean Name="Flip"><pValue>FlipBit</pValue></Boolean>
 <MaskedIntReg Name="FlipBit"><Address>0x28</Address><Length>4</Length><AccessMode>RW</AccessMode><pPort>Device</pPort><Bit>31</Bit><Endianess>BigEndian</Endianess></MaskedIntReg>
 <StringReg Name="Model"><Address>0x40</Address><Length>16</Length><AccessMode>RW</AccessMode><pPort>Device</pPort></StringReg>
 <String Name="ModelName"><pValue>Model</pValue></String>
 <Integer Name="Locked"><Value>0</Value></Integer>
 <Integer Name="Offset"><pValue>OffsetReg</pValue><pIsLocked>Locked</pIsLocked></Integer>
 ${reg('OffsetReg', 0x2c)}
 <Enumeration Name="Selector"><pSelected>Mode</pSelected><pValue>SelectorInt</pValue>
   <EnumEntry Name="A"><Value>0</Value></EnumEntry><EnumEntry Name="B"><Value>1</Value></EnumEntry></Enumeration>
 <Integer Name="SelectorInt"><Value>0</Value></Integer>
 <Integer Name="Mode"><pValue>ModeReg</pValue></Integer>
 ${reg('ModeReg', 0x100, '<pIndex Offset="0x20">SelectorInt</pIndex>')}
 <Integer Name="Status"><pValue>StatusReg</pValue></Integer>
 ${reg('StatusReg', 0x30, '<pInvalidator>Width</pInvalidator>', 'RO')}
 <StructReg Comment="S"><Address>0x34</Address><Length>4</Length><AccessMode>RW</AccessMode><pPort>Device</pPort><Endianess>LittleEndian</Endianess>
   <StructEntry Name="Low"><LSB>0</LSB><MSB>7</MSB></StructEntry>
   <StructEntry Name="High"><LSB>8</LSB><MSB>15</MSB><Sign>Signed</Sign></StructEntry></StructReg>
`);

async function setup() {
  const m = memoryPort();
  m.mem.writeUInt32BE(1024, 0x10);
  m.mem.writeUInt32BE(640, 0x14);
  m.mem.writeUInt32BE(0x01080001, 0x18);
  m.mem.writeUInt32BE(100, 0x1c);
  m.mem.write('Cam-1', 0x40);
  return { ...m, map: NodeMap.fromXml(BASIC, m.port) };
}

describe('GenICam node map', () => {
  it('reads integers, enumerations, strings and formulas through their registers', async () => {
    const { map } = await setup();
    expect(await map.getValue('Width')).toBe(640);
    expect(await map.getValue('PixelFormat')).toBe('Mono8');
    expect(await map.getValue('ModelName')).toBe('Cam-1');
    expect(await map.getValue('PayloadSize')).toBe(640 * 2);
    expect(await map.getValue('ExposureTime')).toBe(1000);
  });

  it('writes through converters, enumerations, booleans, masked bits and float registers', async () => {
    const { map, mem } = await setup();
    await map.setValue('ExposureTime', 5000);
    expect(mem.readUInt32BE(0x1c)).toBe(500);
    await map.setValue('PixelFormat', 'Mono16');
    expect(mem.readUInt32BE(0x18)).toBe(0x01100007);
    expect(await map.getValue('PayloadSize')).toBe(640 * 2 * 2);
    mem.writeUInt32BE(0x12345678, 0x28);
    await map.setValue('Flip', true);
    expect(mem.readUInt32BE(0x28)).toBe(0x12345679); // BigEndian bit 31 = least significant
    expect(await map.getValue('Flip')).toBe(true);
    await map.setValue('Gain', 1.5);
    expect(mem.readFloatLE(0x20)).toBe(1.5);
    await map.setValue('ModelName', 'New');
    expect(mem.toString('utf8', 0x40, 0x44)).toBe('New\0');
  });

  it('reads StructReg entries as masked fields, signed where declared', async () => {
    const { map, mem } = await setup();
    mem.writeUInt32LE(0x0000fe12, 0x34);
    expect(await map.getValue('Low')).toBe(0x12);
    expect(await map.getValue('High')).toBe(-2);
    await map.setValue('High', 3);
    expect(mem.readUInt32LE(0x34)).toBe(0x0312);
  });

  it('refuses out-of-range, off-increment, wrong-type and unknown values with clear errors', async () => {
    const { map, log } = await setup();
    await expect(map.setValue('Width', 2048)).rejects.toMatchObject({
      code: 'E_LIMIT',
      message: 'Width = 2048 is out of range: the camera allows 8 to 1024',
    });
    await expect(map.setValue('Width', 100)).rejects.toThrow(/not 8 plus a multiple of 8/);
    await expect(map.setValue('Width', 'wide')).rejects.toMatchObject({ code: 'E_INVALID' });
    await expect(map.setValue('ExposureTime', 1)).rejects.toThrow(/allows 10 to 1000000/);
    await expect(map.setValue('PixelFormat', 'Hidden')).rejects.toThrow(
      /no entry "Hidden"; available: Mono8, Mono16/,
    );
    await expect(map.getValue('Nope')).rejects.toThrow(/unknown camera feature "Nope"/);
    expect(log.writes).toEqual([]);
  });

  it('enforces access modes and locks', async () => {
    const { map } = await setup();
    await expect(map.setValue('SensorWidth', 4)).rejects.toThrow(
      /SensorWidth is not writable now \(access RO\)/,
    );
    await expect(map.getValue('PayloadSize')).resolves.toBeTypeOf('number');
    await expect(map.setValue('PayloadSize', 4)).rejects.toThrow(/not writable/);
    await map.setValue('Offset', 4);
    await map.setValue('Locked', 1);
    expect(await map.access('Offset')).toBe('RO');
    await expect(map.setValue('Offset', 8)).rejects.toThrow(
      /Offset is not writable now \(access RO\)/,
    );
  });

  it('executes commands on write-only registers', async () => {
    const { map, mem } = await setup();
    await map.execute('Start');
    expect(mem.readUInt32BE(0x24)).toBe(1);
    await expect(map.getValue('Start')).rejects.toThrow(/not readable/);
    await expect(map.execute('Width')).rejects.toThrow(/Width is a Integer, not a command/);
  });

  it('addresses selected registers through pIndex', async () => {
    const { map, mem } = await setup();
    await map.setValue('Mode', 7);
    await map.setValue('Selector', 'B');
    await map.setValue('Mode', 9);
    expect(mem.readUInt32BE(0x100)).toBe(7);
    expect(mem.readUInt32BE(0x120)).toBe(9);
    expect(await map.getValue('Mode')).toBe(9);
    await map.setValue('Selector', 'A');
    expect(await map.getValue('Mode')).toBe(7);
    expect((await map.describe('Selector')).selects).toEqual(['Mode']);
  });

  it('resolves selector-indexed values (pValueIndexed, ValueIndexed, defaults)', async () => {
    const m = memoryPort();
    m.mem.writeUInt32BE(11, 0x200);
    m.mem.writeUInt32BE(22, 0x204);
    const map = NodeMap.fromXml(
      xml(`
 <Integer Name="Sel"><Value>0</Value></Integer>
 <Integer Name="Gain"><pIndex>Sel</pIndex>
   <pValueIndexed Index="0">G0</pValueIndexed><ValueIndexed Index="1">5</ValueIndexed>
   <pValueDefault>G9</pValueDefault></Integer>
 ${reg('G0', 0x200)}
 ${reg('G9', 0x204)}
 <Integer Name="Width"><Value>1</Value></Integer><Enumeration Name="PixelFormat"><Value>0</Value></Enumeration>`),
      m.port,
    );
    expect(await map.getValue('Gain')).toBe(11);
    await map.setValue('Sel', 1);
    expect(await map.getValue('Gain')).toBe(5);
    await map.setValue('Gain', 6);
    expect(await map.getValue('Gain')).toBe(6);
    await map.setValue('Sel', 7);
    expect(await map.getValue('Gain')).toBe(22);
    await map.setValue('Gain', 23);
    expect(m.mem.readUInt32BE(0x204)).toBe(23);
    await map.setValue('Sel', 0);
    await map.setValue('Gain', 12);
    expect(m.mem.readUInt32BE(0x200)).toBe(12);
  });

  it('caches register reads and drops them on writes and on pInvalidator', async () => {
    const { map, mem, log } = await setup();
    await map.getValue('Width');
    await map.getValue('Status');
    const reads = log.reads;
    await map.getValue('Width');
    await map.getValue('Status');
    expect(log.reads).toBe(reads);
    mem.writeUInt32BE(42, 0x30); // the device changes Status when Width is written
    await map.setValue('Width', 512);
    expect(await map.getValue('Width')).toBe(512);
    expect(await map.getValue('Status')).toBe(42);
    await map.execute('Start');
    await map.execute('Start');
    expect(log.writes.filter((a) => a === 0x24)).toHaveLength(2);
  });

  it('describes features with range, unit, entries and the category tree', async () => {
    const { map } = await setup();
    expect(await map.describe('Width')).toMatchObject({
      type: 'Integer',
      access: 'RW',
      min: 8,
      max: 1024,
      inc: 8,
      description: 'Width & more',
    });
    expect(await map.describe('ExposureTime')).toMatchObject({ unit: 'us', min: 10, max: 1000000 });
    expect((await map.describe('PixelFormat')).entries).toEqual(['Mono8', 'Mono16']);
    expect(map.features()).toEqual(['Width', 'PixelFormat']);
  });

  it('rejects malformed XML with line and column, and duplicate nodes', () => {
    const port = memoryPort().port;
    expect(() =>
      NodeMap.fromXml('<RegisterDescription>\n<Integer Name="A"></RegisterDescription>', port),
    ).toThrow(/malformed at line 2/);
    expect(() => NodeMap.fromXml('<Foo/>', port)).toThrow(/root element is <Foo>/);
    expect(() =>
      NodeMap.fromXml(
        xml(
          '<Integer Name="A"><Value>1</Value></Integer><Integer Name="A"><Value>1</Value></Integer>',
        ),
        port,
      ),
    ).toThrow(/declares node A twice/);
  });
});

const zipOf = (name: string, data: Buffer) => zipOneFile(name, data, { dataDescriptor: true });

describe('zipped GenICam XML', () => {
  it('inflates the XML file and parses it', () => {
    const zip = zipOf('Device.xml', Buffer.from(BASIC));
    expect(unzipFirstFile(zip).name).toBe('Device.xml');
    expect(parseGenicamXml(zip).attrs.VendorName).toBe('Aquila');
  });

  it('reports a truncated archive', () => {
    const zip = zipOf('Device.xml', Buffer.from(BASIC));
    expect(() => unzipFirstFile(zip.subarray(0, zip.length - 30))).toThrow(/GenICam zip: /);
  });
});
