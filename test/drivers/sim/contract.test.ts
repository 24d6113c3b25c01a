/**
 * The device contract suites, run against the in-process simulated devices. The camera
 * renders inline here to keep the suite fast; render workers are exercised by camera.test.ts.
 */
import { SimCamera } from '../../../drivers/sim/camera';
import { SimFocusSensor } from '../../../drivers/sim/focus-sensor';
import { SimLaser, SimXYStage, SimZDrive } from '../../../drivers/sim/sim-devices';
import { SimWorld } from '../../../drivers/sim/world';
import { cameraContract } from '../contract/camera.contract';
import { focusSensorContract } from '../contract/focus-sensor.contract';
import { laserContract } from '../contract/laser.contract';
import { xyStageContract } from '../contract/xy-stage.contract';
import { zDriveContract } from '../contract/z-drive.contract';

const world = () => new SimWorld({ seed: 3, cellCount: 50, slideHalfWidthUm: 500 });
const noCleanup = async () => {};

xyStageContract(
  'SimXYStage',
  async () => ({
    device: new SimXYStage('stage', world(), { speedUmPerS: 20_000, travelUm: 20_000 }),
    cleanup: noCleanup,
  }),
  { outOfRangeUm: { xUm: 10_001, yUm: 0 }, longMoveUm: { xUm: 2_000, yUm: 1_000 } },
);

zDriveContract(
  'SimZDrive',
  async () => ({
    device: new SimZDrive('focus', world(), { speedUmPerS: 2_000, travelUm: 400 }),
    cleanup: noCleanup,
  }),
  { outOfRangeUm: 201, longMoveUm: 180 },
);

laserContract('SimLaser', async () => ({
  device: new SimLaser('l561', world(), { wavelengthNm: 561, maxPowerMw: 150 }),
  cleanup: noCleanup,
}));

cameraContract('SimCamera (sample)', async () => ({
  device: new SimCamera('cam', world(), {
    widthPx: 96,
    heightPx: 64,
    readoutMs: 1,
    renderWorkers: 0,
  }),
  cleanup: noCleanup,
}));

cameraContract('SimCamera (test pattern)', async () => ({
  device: new SimCamera('cam', world(), {
    widthPx: 64,
    heightPx: 48,
    mode: 'test-pattern',
    renderWorkers: 0,
  }),
  cleanup: noCleanup,
}));

focusSensorContract('SimFocusSensor', async () => ({
  device: new SimFocusSensor('pfs', world(), {}),
  cleanup: noCleanup,
}));
