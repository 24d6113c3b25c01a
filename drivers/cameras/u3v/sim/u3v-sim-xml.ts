/**
 * The simulated USB3 Vision camera's GenICam XML and feature registers (little-endian, as
 * USB3 Vision devices are). It exercises SFNC features, IntSwissKnife (WidthMax, HeightMax,
 * PayloadSize), a float SwissKnife (DeviceTemperature), and a selector (TriggerSelector
 * indexing TriggerMode, TriggerSource and TriggerSoftware by pIndex).
 */
/** Feature register addresses in the device's memory. */
export const FEATURES = 0x20000;
export const Reg = {
  sensorWidth: FEATURES + 0x00,
  sensorHeight: FEATURES + 0x04,
  width: FEATURES + 0x08,
  height: FEATURES + 0x0c,
  offsetX: FEATURES + 0x10,
  offsetY: FEATURES + 0x14,
  binningH: FEATURES + 0x18,
  binningV: FEATURES + 0x1c,
  pixelFormat: FEATURES + 0x20,
  /** 8-byte double, µs. */
  exposureUs: FEATURES + 0x28,
  /** 4-byte float, dB. */
  gain: FEATURES + 0x30,
  acquisitionMode: FEATURES + 0x34,
  acquisitionStart: FEATURES + 0x38,
  acquisitionStop: FEATURES + 0x3c,
  triggerSelector: FEATURES + 0x40,
  /** Indexed by TriggerSelector, 4 bytes apart: FrameStart, AcquisitionStart. */
  triggerMode: FEATURES + 0x44,
  triggerSource: FEATURES + 0x4c,
  triggerSoftware: FEATURES + 0x54,
  tlParamsLocked: FEATURES + 0x5c,
  temperatureRaw: FEATURES + 0x60,
  end: FEATURES + 0x64,
} as const;

export const SIM_FORMATS = {
  Mono8: 0x01080001,
  Mono12Packed: 0x010c0006,
  Mono12p: 0x010c0047,
  Mono16: 0x01100007,
};

const hex = (n: number) => `0x${n.toString(16)}`;
const intReg = (name: string, address: number, access = 'RW', extra = '') =>
  `<IntReg Name="${name}"><Address>${hex(address)}</Address><Length>4</Length><AccessMode>${access}</AccessMode><pPort>Device</pPort>${extra}<Sign>Unsigned</Sign><Endianess>LittleEndian</Endianess></IntReg>`;
const integer = (name: string, reg: string, limits: string) =>
  `<Integer Name="${name}"><pValue>${reg}</pValue>${limits}</Integer>`;
const command = (name: string, reg: string) =>
  `<Command Name="${name}"><pValue>${reg}</pValue><CommandValue>1</CommandValue></Command>`;
const entries = (list: Record<string, number>) =>
  Object.entries(list)
    .map(([n, v]) => `<EnumEntry Name="${n}"><Value>${hex(v)}</Value></EnumEntry>`)
    .join('');
const byTrigger = `<pIndex Offset="4">TriggerSelectorReg</pIndex><Cachable>NoCache</Cachable>`;

export function simXml(model: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<RegisterDescription ModelName="${model}" VendorName="Aquila" StandardNameSpace="None" SchemaMajorVersion="1" SchemaMinorVersion="1" SchemaSubMinorVersion="0" MajorVersion="1" MinorVersion="0" SubMinorVersion="0" ToolTip="Aquila USB3 Vision simulator" ProductGuid="00000000-0000-0000-0000-000000000000" VersionGuid="00000000-0000-0000-0000-000000000001" xmlns="http://www.genicam.org/GenApi/Version_1_1">
<Category Name="Root"><pFeature>ImageFormatControl</pFeature><pFeature>AcquisitionControl</pFeature><pFeature>AnalogControl</pFeature><pFeature>DeviceControl</pFeature></Category>
<Category Name="ImageFormatControl"><pFeature>SensorWidth</pFeature><pFeature>SensorHeight</pFeature><pFeature>WidthMax</pFeature><pFeature>HeightMax</pFeature><pFeature>Width</pFeature><pFeature>Height</pFeature><pFeature>OffsetX</pFeature><pFeature>OffsetY</pFeature><pFeature>BinningHorizontal</pFeature><pFeature>BinningVertical</pFeature><pFeature>PixelFormat</pFeature><pFeature>PayloadSize</pFeature></Category>
<Category Name="AcquisitionControl"><pFeature>AcquisitionMode</pFeature><pFeature>AcquisitionStart</pFeature><pFeature>AcquisitionStop</pFeature><pFeature>ExposureTime</pFeature><pFeature>TriggerSelector</pFeature><pFeature>TriggerMode</pFeature><pFeature>TriggerSource</pFeature><pFeature>TriggerSoftware</pFeature></Category>
<Category Name="AnalogControl"><pFeature>Gain</pFeature></Category>
<Category Name="DeviceControl"><pFeature>DeviceTemperature</pFeature><pFeature>TLParamsLocked</pFeature></Category>
${integer('SensorWidth', 'SensorWidthReg', '')}${intReg('SensorWidthReg', Reg.sensorWidth, 'RO')}
${integer('SensorHeight', 'SensorHeightReg', '')}${intReg('SensorHeightReg', Reg.sensorHeight, 'RO')}
<IntSwissKnife Name="WidthMax"><pVariable Name="W">SensorWidth</pVariable><pVariable Name="B">BinningHorizontal</pVariable><pVariable Name="X">OffsetX</pVariable><Formula>W / B - X</Formula></IntSwissKnife>
<IntSwissKnife Name="HeightMax"><pVariable Name="H">SensorHeight</pVariable><pVariable Name="B">BinningVertical</pVariable><pVariable Name="Y">OffsetY</pVariable><Formula>H / B - Y</Formula></IntSwissKnife>
<IntSwissKnife Name="OffsetXMax"><pVariable Name="W">SensorWidth</pVariable><pVariable Name="B">BinningHorizontal</pVariable><pVariable Name="V">Width</pVariable><Formula>W / B - V</Formula></IntSwissKnife>
<IntSwissKnife Name="OffsetYMax"><pVariable Name="H">SensorHeight</pVariable><pVariable Name="B">BinningVertical</pVariable><pVariable Name="V">Height</pVariable><Formula>H / B - V</Formula></IntSwissKnife>
${integer('Width', 'WidthReg', '<Min>1</Min><pMax>WidthMax</pMax>')}${intReg('WidthReg', Reg.width, 'RW', '<pInvalidator>BinningHReg</pInvalidator>')}
${integer('Height', 'HeightReg', '<Min>1</Min><pMax>HeightMax</pMax>')}${intReg('HeightReg', Reg.height, 'RW', '<pInvalidator>BinningVReg</pInvalidator>')}
${integer('OffsetX', 'OffsetXReg', '<Min>0</Min><pMax>OffsetXMax</pMax>')}${intReg('OffsetXReg', Reg.offsetX)}
${integer('OffsetY', 'OffsetYReg', '<Min>0</Min><pMax>OffsetYMax</pMax>')}${intReg('OffsetYReg', Reg.offsetY)}
${integer('BinningHorizontal', 'BinningHReg', '<Min>1</Min><Max>4</Max>')}${intReg('BinningHReg', Reg.binningH)}
${integer('BinningVertical', 'BinningVReg', '<Min>1</Min><Max>4</Max>')}${intReg('BinningVReg', Reg.binningV)}
<Enumeration Name="PixelFormat"><pValue>PixelFormatReg</pValue>${entries(SIM_FORMATS)}</Enumeration>${intReg('PixelFormatReg', Reg.pixelFormat)}
<IntSwissKnife Name="PayloadSize"><pVariable Name="W">Width</pVariable><pVariable Name="H">Height</pVariable><pVariable Name="PF">PixelFormatReg</pVariable><Formula>(W * H * ((PF >> 16) &amp; 0xFF) + 7) / 8</Formula></IntSwissKnife>
<Float Name="ExposureTime"><pValue>ExposureTimeReg</pValue><Min>10</Min><Max>1000000</Max><Unit>us</Unit></Float>
<FloatReg Name="ExposureTimeReg"><Address>${hex(Reg.exposureUs)}</Address><Length>8</Length><AccessMode>RW</AccessMode><pPort>Device</pPort><Endianess>LittleEndian</Endianess></FloatReg>
<Float Name="Gain"><pValue>GainReg</pValue><Min>0</Min><Max>24</Max><Unit>dB</Unit></Float>
<FloatReg Name="GainReg"><Address>${hex(Reg.gain)}</Address><Length>4</Length><AccessMode>RW</AccessMode><pPort>Device</pPort><Endianess>LittleEndian</Endianess></FloatReg>
<Enumeration Name="AcquisitionMode"><pValue>AcquisitionModeReg</pValue>${entries({ Continuous: 0, SingleFrame: 1 })}</Enumeration>${intReg('AcquisitionModeReg', Reg.acquisitionMode)}
${command('AcquisitionStart', 'AcquisitionStartReg')}${intReg('AcquisitionStartReg', Reg.acquisitionStart, 'WO', '<Cachable>NoCache</Cachable>')}
${command('AcquisitionStop', 'AcquisitionStopReg')}${intReg('AcquisitionStopReg', Reg.acquisitionStop, 'WO', '<Cachable>NoCache</Cachable>')}
<Enumeration Name="TriggerSelector"><pSelected>TriggerMode</pSelected><pSelected>TriggerSource</pSelected><pSelected>TriggerSoftware</pSelected><pValue>TriggerSelectorReg</pValue>${entries({ FrameStart: 0, AcquisitionStart: 1 })}</Enumeration>${intReg('TriggerSelectorReg', Reg.triggerSelector)}
<Enumeration Name="TriggerMode"><pValue>TriggerModeReg</pValue>${entries({ Off: 0, On: 1 })}</Enumeration>${intReg('TriggerModeReg', Reg.triggerMode, 'RW', byTrigger)}
<Enumeration Name="TriggerSource"><pValue>TriggerSourceReg</pValue>${entries({ Software: 0, Line1: 1 })}</Enumeration>${intReg('TriggerSourceReg', Reg.triggerSource, 'RW', byTrigger)}
${command('TriggerSoftware', 'TriggerSoftwareReg')}${intReg('TriggerSoftwareReg', Reg.triggerSoftware, 'WO', byTrigger)}
${integer('TLParamsLocked', 'TLParamsLockedReg', '<Min>0</Min><Max>1</Max>')}${intReg('TLParamsLockedReg', Reg.tlParamsLocked)}
<SwissKnife Name="DeviceTemperature"><pVariable Name="R">TemperatureRawReg</pVariable><Formula>R / 10</Formula><Unit>C</Unit></SwissKnife>${intReg('TemperatureRawReg', Reg.temperatureRaw, 'RO', '<Cachable>NoCache</Cachable>')}
<Port Name="Device"/>
</RegisterDescription>`;
}
