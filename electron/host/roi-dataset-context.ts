/** What a FLImP run's ROI datasets need from the host: the datasets folder, provenance, logging. */
import type { RoiDatasetHost } from '../automation/flimp/roi-dataset';
import type { AutomationDeps } from './automation-service';
import { APP_VERSION } from './version';

export function roiDatasetContext(
  deps: AutomationDeps,
  operator: string | undefined,
): RoiDatasetHost {
  const { acquisition, config, store, devices, log } = deps;
  return {
    root: acquisition.datasetsRoot,
    defaultFormat: config.storage.format,
    appVersion: APP_VERSION,
    operator,
    config: { ...config, upload: undefined },
    deviceStates: () => store.state,
    wavelengthNm: (id) => devices.lasers.get(id)?.wavelengthNm,
    logger: log,
    onClosed: () => acquisition.refreshDatasets(),
  };
}
