/**
 * A host on one stage controller's wire simulator (`sim:` port, XY stage and Z drive on the
 * same controller), with the running simulator at hand for its log, faults and power.
 */
import type { SerialStageBase } from '../../../drivers/stages/serial-stage-base';
import type { ControllerXYStage } from '../../../drivers/stages/stage-controller';
import type { RunningWireSim } from '../../../drivers/wire-sim/run-sim';
import { wireHost, type WireHost } from '../../support/wire-host';

export interface StageHostRig extends WireHost {
  /** The simulator of the controller's current port (a new one after a `sim:` re-open). */
  running(): RunningWireSim;
}

export async function stageHost(
  driver: string,
  extraDevices: Record<string, unknown>[] = [],
  extraConfig: Record<string, unknown> = {},
): Promise<StageHostRig> {
  const port = `sim:${driver}`;
  const rig = await wireHost(
    [
      { id: 'stage', kind: 'xy-stage', driver, options: { port } },
      { id: 'focus', kind: 'z-drive', driver, options: { port } },
      ...extraDevices,
    ],
    extraConfig,
  );
  const running = () => {
    const stage = rig.host.devices.stage as ControllerXYStage;
    const r = (stage.shared.controller as unknown as SerialStageBase).endpoint.simulator;
    if (!r) throw new Error('the sim: port did not start a simulator');
    return r;
  };
  return { ...rig, running };
}
