/** The XY-stage and Z-drive contract suites against every wire stage driver on its simulator (`sim:` ports, real ptys). */
import type { XYStage, ZDrive } from '../../../drivers/devices';
import { xyStageContract } from '../contract/xy-stage.contract';
import { zDriveContract } from '../contract/z-drive.contract';
import { createStageDevice, newContext } from './wire-stage-fixture';

const noCleanup = async () => {};

for (const [driver, sim] of [
  ['asi-ms2000', 'asi-ms2000'],
  ['asi-tiger', 'asi-tiger'],
] as const) {
  xyStageContract(
    `${driver} on sim:${sim}`,
    async () => ({
      device: createStageDevice(
        driver,
        'xy-stage',
        { port: `sim:${sim}` },
        newContext(),
      ) as XYStage,
      cleanup: noCleanup,
    }),
    { outOfRangeUm: { xUm: 100_001, yUm: 0 } },
  );
  zDriveContract(
    `${driver} on sim:${sim}`,
    async () => ({
      device: createStageDevice(driver, 'z-drive', { port: `sim:${sim}` }, newContext()) as ZDrive,
      cleanup: noCleanup,
    }),
    { outOfRangeUm: 10_001 },
  );
}

// The registered ProScan simulator uses 1 µm user units, so positions are whole µm.
xyStageContract(
  'prior-proscan on sim:prior-proscan',
  async () => ({
    device: createStageDevice(
      'prior-proscan',
      'xy-stage',
      { port: 'sim:prior-proscan' },
      newContext(),
    ) as XYStage,
    cleanup: noCleanup,
  }),
  { shortMoveUm: { xUm: 120, yUm: -80 } },
);
zDriveContract(
  'prior-proscan on sim:prior-proscan',
  async () => ({
    device: createStageDevice(
      'prior-proscan',
      'z-drive',
      { port: 'sim:prior-proscan' },
      newContext(),
    ) as ZDrive,
    cleanup: noCleanup,
  }),
  { shortMoveUm: 12 },
);
