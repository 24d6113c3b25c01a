/**
 * One handler per API command. Motion and light go through the safety layer; nothing here
 * touches a raw stage or laser.
 */
import type { z } from 'zod';
import { DisconnectedError, StateError, ValidationError } from '../../drivers/errors';
import {
  DEFAULT_VIEW,
  type AccessCommandName,
  type AnalysisCommandName,
  type CameraFeatureCommandName,
  type CommandName,
  type MacroCommandName,
  type CommandResult,
  type Commands,
  type Role,
} from '../api/contract';
import type { AutoShutter } from '../safety/auto-shutter';
import type { SafetyLayer } from '../safety/safety-layer';
import type { AcquisitionService } from './acquisition-service';
import type { AutomationService } from './automation-service';
import type { UploadService } from './upload-service';
import type { DeviceManager } from './device-manager';
import type { FrameBus } from './frame-bus';
import { readDatasetPlane } from './dataset-plane';
import { orientationCheckCommand } from './orientation-check';
import type { Logger } from './logger';
import type { StateStore } from './state-store';

export interface CallContext {
  /** Who is calling: a client id, 'cli', 'macro:<name>', 'runner', … (for the audit trail). */
  clientId: string;
  transport: 'ws' | 'http' | 'ipc' | 'cli' | 'internal';
  /** The signed-in user and role (remote transports); local transports act as the operator. */
  user?: string;
  role?: Role;
}

export type Handler<N extends CommandName> = (
  params: z.output<Commands[N]['params']>,
  ctx: CallContext,
) => Promise<CommandResult<N>>;

export type Handlers = { [N in CommandName]: Handler<N> };

export interface HandlerDeps {
  store: StateStore;
  safety: SafetyLayer;
  devices: DeviceManager;
  bus: FrameBus;
  acquisition: AcquisitionService;
  uploads: UploadService;
  automation: AutomationService;
  shutter: AutoShutter;
  log: Logger;
}

/** framesAcquired is mirrored into state at most this often, not per frame. */
const FRAME_COUNT_PUBLISH_MS = 500;

/** Control-lease and audit commands are handled in access-handlers.ts, macros' in electron/macros/macro-handlers.ts, camera features' in camera-feature-handlers.ts. */
export function createHandlers({
  store,
  safety,
  devices,
  bus,
  acquisition,
  uploads,
  automation,
  shutter,
}: HandlerDeps): Omit<
  Handlers,
  AccessCommandName | AnalysisCommandName | MacroCommandName | CameraFeatureCommandName
> {
  const camera = () => {
    if (!devices.camera) throw new StateError('No camera is configured');
    return devices.camera;
  };
  let framesAcquired = 0;
  let lastCountPublish = 0;
  const publishCount = () => {
    lastCountPublish = Date.now();
    const n = framesAcquired;
    store.update((s) => {
      if (s.camera) s.camera.framesAcquired = n;
    });
  };
  const countFrame = () => {
    framesAcquired += 1;
    if (Date.now() - lastCountPublish >= FRAME_COUNT_PUBLISH_MS) publishCount();
  };
  const refreshCamera = () =>
    devices.camera ? devices.refresh(devices.camera.id) : Promise.resolve();

  return {
    estop: (_p, ctx) => safety.estop(`requested by ${ctx.clientId}`),
    'safety.reset': async () => {
      safety.reset();
      return {};
    },
    // Motion polling starts from the driver's "changed" event once a move is under way, so
    // a refused move starts no polling either.
    'stage.moveTo': (p) => safety.moveStageTo(p),
    'stage.moveBy': (p) => safety.moveStageBy(p.dxUm, p.dyUm),
    'stage.stop': async () => {
      await safety.stopStage();
      return {};
    },
    'stage.confirmPosition': () => safety.confirmStagePosition(),
    'focus.moveTo': async (p) => ({ zUm: await safety.moveFocusTo(p.zUm) }),
    'focus.moveBy': async (p) => ({ zUm: await safety.moveFocusBy(p.dzUm) }),
    'focus.stop': async () => {
      await safety.stopFocus();
      return {};
    },
    'focus.confirmPosition': async () => ({ zUm: await safety.confirmFocusPosition() }),
    // Issue #18: with auto-shutter on, light comes only with an exposure, so a switch-on by
    // hand is refused (after the latch and laser checks, which say more); off always works.
    'laser.setEmission': async (p) => {
      if (p.on && shutter.auto) {
        safety.assertLaserAllowed(p.laserId, { on: true });
        throw new StateError(
          `Auto-shutter is on: ${p.laserId} emits only while the camera exposes. Select a channel to arm it for the next exposure, or turn auto-shutter off to switch it on by hand.`,
          { laserId: p.laserId, autoShutter: true },
        );
      }
      await safety.setLaserEmission(p.laserId, p.on);
      return {};
    },
    'laser.setPower': async (p) => {
      await safety.setLaserPower(p.laserId, p.powerMw);
      return {};
    },
    'laser.allOff': (_p, ctx) => safety.allLasersOff(`requested by ${ctx.clientId}`),
    'camera.setExposure': async (p) => {
      await camera().setExposureMs(p.exposureMs);
      await refreshCamera();
      return {};
    },
    'camera.setBinning': async (p) => {
      await camera().setBinning(p.binning);
      await refreshCamera();
      return {};
    },
    'camera.setRoi': async (p) => {
      await camera().setRoi(p.roi);
      await refreshCamera();
      return {};
    },
    'camera.startLive': async () => {
      const cam = camera();
      if (!cam.isLive()) {
        store.update((s) => {
          if (s.shutter) s.shutter.liveStopReason = null;
        });
        try {
          await shutter.liveStarting();
          await cam.startLive((raw) => {
            bus.publish(raw);
            countFrame();
          });
        } catch (err) {
          await shutter.liveStopped('live did not start');
          throw err;
        }
      }
      await refreshCamera();
      return {};
    },
    'camera.stopLive': async (_p, ctx) => {
      try {
        await camera().stopLive();
      } finally {
        await shutter.liveStopped(`live stopped by ${ctx.clientId}`);
        // Issue #18: once live stops, "acquired" is exact (it matched the last frame only
        // to within FRAME_COUNT_PUBLISH_MS before).
        publishCount();
      }
      await refreshCamera();
      return {};
    },
    'camera.snap': async () => {
      const cam = camera();
      if (cam.isLive()) throw new StateError('Stop live view before snapping a single frame');
      const frame = bus.publish(await shutter.expose(() => cam.snap()));
      framesAcquired += 1;
      publishCount();
      return { seq: frame.meta.seq };
    },
    'channel.apply': async (p) => {
      const preset = store.state.channels.find((c) => c.name === p.name);
      if (!preset) {
        throw new ValidationError(
          `Unknown channel preset "${p.name}" (have: ${store.state.channels.map((c) => c.name).join(', ') || 'none'})`,
        );
      }
      // Refused before anything is sent (issue #18: a refused chip must not leave the line at
      // the preset's power), camera included; then other lines off, so only the preset's line
      // illuminates. With auto-shutter the line is armed, not switched on.
      safety.assertLaserAllowed(preset.laserId, { on: true, powerMw: preset.powerMw });
      const cam = devices.camera;
      if (cam && store.state.devices[cam.id]?.connection !== 'connected')
        throw new DisconnectedError(
          `Camera ${cam.id} is not connected: channel ${preset.name} was not applied`,
        );
      for (const id of devices.lasers.keys()) {
        if (id !== preset.laserId && store.state.lasers[id]?.emission)
          await safety.setLaserEmission(id, false);
      }
      await safety.setLaserPower(preset.laserId, preset.powerMw);
      if (devices.camera) await devices.camera.setExposureMs(preset.exposureMs);
      await shutter.arm(preset.laserId);
      if (!shutter.auto) await safety.setLaserEmission(preset.laserId, true);
      store.update((s) => {
        s.activeChannel = preset.name;
      });
      await refreshCamera();
      return {};
    },
    // Issue #18 §4: what a new page opens with.
    'view.set': async (p) => {
      store.update((s) => {
        s.view = { ...(s.view ?? DEFAULT_VIEW), ...p };
      });
      return {};
    },
    // Issue #18 §7: the orientation check (live must be off: it snaps).
    'stage.checkOrientation': (p) =>
      orientationCheckCommand(
        camera(),
        {
          snap: (acquire) => shutter.expose(acquire),
          moveBy: (dx, dy) => safety.moveStageBy(dx, dy),
        },
        store.state.stageOrientation,
        p.stepUm,
      ),
    // Issue #18 §8: the Data tab's viewer.
    'dataset.readPlane': async ({ dataset, ...index }) =>
      readDatasetPlane(acquisition.datasetsRoot, dataset, index),
    // Issue #18: auto-shutter.
    'shutter.setAuto': async (p, ctx) => {
      await shutter.setAuto(p.enabled, ctx.clientId);
      return {};
    },
    'run.start': (p, ctx) => {
      if (automation.busy)
        throw new StateError(
          'run.start: automation is in progress (automation.cancel or wait for it)',
        );
      return acquisition.start({ ...p, operator: p.operator ?? ctx.user ?? ctx.clientId });
    },
    'plan.estimate': async (p) => acquisition.estimate(p.plan),
    // Issue #17: the navigator draws a plan's positions.
    'plan.positions': async (p) => acquisition.positions(p.plan),
    'navigator.frames': async (p) => {
      const r = bus.mosaicFeed.since(p.afterSeq);
      return {
        lastSeq: r.lastSeq,
        frames: r.frames.map(({ pixels, ...f }) => ({
          ...f,
          pixelsBase64: Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength).toString(
            'base64',
          ),
        })),
      };
    },
    'run.pause': async () => {
      acquisition.pause();
      return {};
    },
    'run.resume': async () => {
      acquisition.resume();
      return {};
    },
    'run.cancel': async () => {
      acquisition.cancel();
      return {};
    },
    'datasets.refresh': async () => {
      acquisition.refreshDatasets();
      return { datasetsRoot: acquisition.datasetsRoot, datasets: store.state.datasets };
    },
    'autofocus.run': (p) => automation.autofocusCommand(p),
    'rois.find': (p) => automation.findRoisCommand(p),
    'rois.setVerdict': async (p) => {
      automation.setRoiVerdict(p);
      return {};
    },
    'rois.clear': async () => {
      automation.clearRois();
      return {};
    },
    'focusLock.calibrate': (p) => automation.calibrateLock(p),
    'focusLock.lock': async () => {
      await automation.requireLock().engage();
      return {};
    },
    'focusLock.unlock': async () => {
      automation.requireLock().unlock();
      return {};
    },
    'focusLock.setOffset': async (p) => {
      automation.requireLock().setOffsetUm(p.offsetUm);
      return {};
    },
    'focusLock.trace': async (p) => ({
      samples: automation.requireLock().samples.since(p.afterMs ?? Number.NEGATIVE_INFINITY),
    }),
    'automation.start': (p, ctx) =>
      automation.start({ ...p, operator: p.operator ?? ctx.user ?? ctx.clientId }),
    'automation.pause': async () => {
      automation.pause();
      return {};
    },
    'automation.resume': async () => {
      automation.resume();
      return {};
    },
    'automation.cancel': async () => {
      automation.cancel();
      return {};
    },
    'upload.enqueue': async (p) => {
      // Issue #18 §8: a failed or empty dataset is not worth archiving.
      const d = store.state.datasets.find((e) => e.name === p.dataset || e.dir === p.dataset);
      if (d && (d.outcome === 'failed' || (d.closed && d.framesWritten === 0)))
        throw new StateError(
          `Dataset ${d.name} is ${d.outcome === 'failed' ? 'failed' : 'empty (no frames)'}: it is not archived`,
          { dataset: d.name, outcome: d.outcome, framesWritten: d.framesWritten },
        );
      return { id: await uploads.enqueue(p.dataset, p.target) };
    },
    'upload.pause': async (p) => {
      await uploads.pause(p.id);
      return {};
    },
    'upload.resume': async (p) => {
      await uploads.resume(p.id);
      return {};
    },
    'upload.cancel': async (p) => {
      await uploads.cancel(p.id);
      return {};
    },
    'upload.retry': async (p) => {
      await uploads.retry(p.id);
      return {};
    },
    'device.reconnect': async (p) => {
      if (!devices.devices.has(p.deviceId))
        throw new ValidationError(`Unknown device "${p.deviceId}"`);
      if (devices.lasers.has(p.deviceId))
        await safety.setLaserEmission(p.deviceId, false).catch(() => undefined);
      await devices.reconnect(p.deviceId);
      return {};
    },
  };
}
