/**
 * The watchdog: when the controlling client disappears (its WebSocket closed, or its lease
 * expired without a heartbeat) during manual operation, motion stops and every laser goes
 * off — through the safety layer, each step bounded there (laser off ≤ 1 s per line). A run
 * started as a plan is left running: it is unattended by design, stays observable, and the
 * next controller can pause or cancel it.
 */
import type { SafetyLayer } from '../safety/safety-layer';
import type { ControlLease } from './control-lease';
import { describeClient } from './control-lease';
import type { DeviceManager } from './device-manager';
import type { Logger } from './logger';
import type { StateStore } from './state-store';

export interface WatchdogDeps {
  lease: ControlLease;
  safety: SafetyLayer;
  devices: DeviceManager;
  store: StateStore;
  log: Logger;
  /** Told what the watchdog did (the audit trail records it). */
  onAction?: (action: { holder: string; reason: string; stopped: boolean }) => void;
}

const ACTIVE_RUN = new Set(['running', 'paused', 'cancelling']);

export function startWatchdog({ lease, safety, devices, store, log, onAction }: WatchdogDeps) {
  return lease.onLost((holder, reason) => {
    const who = describeClient(holder);
    const run = store.state.run;
    if (run && ACTIVE_RUN.has(run.state)) {
      log.log('warn', `Controller ${who} ${reason}; run ${run.name} continues unattended`);
      onAction?.({ holder: who, reason, stopped: false });
      return;
    }
    log.log('warn', `Controller ${who} ${reason}: stopping motion, lasers off`);
    onAction?.({ holder: who, reason, stopped: true });
    void safeStop(`watchdog: controller ${who} ${reason}`);
  });

  async function safeStop(reason: string): Promise<void> {
    const steps: Promise<unknown>[] = [safety.allLasersOff(reason)];
    if (devices.stage) steps.push(safety.stopStage());
    if (devices.focus) steps.push(safety.stopFocus());
    const results = await Promise.allSettled(steps);
    for (const r of results)
      if (r.status === 'rejected') log.log('error', `${reason}: ${(r.reason as Error).message}`);
    await Promise.allSettled([...devices.lasers.keys()].map((id) => devices.refresh(id)));
  }
}
