/**
 * The one-minute orientation check (issue #18 §7): snap, jog +X, snap, back, jog +Y, snap,
 * back; register each pair (phase correlation) to see which way the field of view moved in
 * the image, and derive the `stageOrientation` the config should have
 * (electron/config/stage-orientation.ts has the contract). The stage ends where it started.
 * Motion and light go through the safety layer and the auto-shutter like any other move or
 * snap.
 */
import type { Camera, RawFrame } from '../../drivers/devices';
import { StateError } from '../../drivers/errors';
import type { CommandResult, StageOrientation } from '../api/contract';
import { registerPhaseCorrelation } from '../automation/kernels/phase-correlation';
import { IDENTITY_ORIENTATION } from '../config/stage-orientation';

/** Default jog of the check, µm (a tenth of a typical 100 µm field). */
const STEP_UM = 20;

/** View shift in image px (x right, y down) seen after a stage move. */
export interface ViewShift {
  xPx: number;
  yPx: number;
}

/**
 * The orientation whose mapping turns stage +X into `afterX` and stage +Y into `afterY`; an
 * error when the two are not roughly perpendicular (the sample did not move, or moved
 * oddly: too little structure, a step too large for the field).
 */
export function inferOrientation(afterX: ViewShift, afterY: ViewShift): StageOrientation {
  const len = (s: ViewShift) => Math.hypot(s.xPx, s.yPx);
  const cos = (afterX.xPx * afterY.xPx + afterX.yPx * afterY.yPx) / (len(afterX) * len(afterY));
  if (!(len(afterX) >= 2 && len(afterY) >= 2) || !(Math.abs(cos) < 0.5)) {
    throw new StateError(
      `The image did not move clearly at right angles (stage +X → ${fmt(afterX)}, +Y → ${fmt(afterY)}): use a field with structure and a step of a tenth of the field`,
    );
  }
  const rotate90 = Math.abs(afterX.yPx) > Math.abs(afterX.xPx);
  // Without rotation stage +X is image +x (flipX negates it); with it, stage +X is image +y
  // and stage +Y is image −x (see the contract).
  return rotate90
    ? { flipX: afterY.xPx > 0, flipY: afterX.yPx < 0, rotate90 }
    : { flipX: afterX.xPx < 0, flipY: afterY.yPx < 0, rotate90 };
}

const fmt = (s: ViewShift) => `(${s.xPx.toFixed(1)}, ${s.yPx.toFixed(1)}) px`;

export interface OrientationCheckDeps {
  snap(): Promise<RawFrame>;
  moveBy(dxUm: number, dyUm: number): Promise<unknown>;
}

export interface OrientationCheckResult {
  measured: StageOrientation;
  afterXPx: ViewShift;
  afterYPx: ViewShift;
}

/** Runs the check with `stepUm` jogs; the stage is moved back even when a step fails. */
export async function checkOrientation(
  deps: OrientationCheckDeps,
  stepUm: number,
): Promise<OrientationCheckResult> {
  const viewShift = async (dxUm: number, dyUm: number): Promise<ViewShift> => {
    const before = await deps.snap();
    await deps.moveBy(dxUm, dyUm);
    try {
      const after = await deps.snap();
      const r = registerPhaseCorrelation(
        before.pixels,
        after.pixels,
        before.widthPx,
        before.heightPx,
      );
      // Content moved by (dx, dy): the field of view moved the other way.
      return { xPx: -r.dxPx + 0, yPx: -r.dyPx + 0 };
    } finally {
      await deps.moveBy(-dxUm, -dyUm);
    }
  };
  const afterXPx = await viewShift(stepUm, 0);
  const afterYPx = await viewShift(0, stepUm);
  return { measured: inferOrientation(afterXPx, afterYPx), afterXPx, afterYPx };
}

/** The `stage.checkOrientation` command: the check, compared with the configured mapping. */
export async function orientationCheckCommand(
  camera: Camera,
  through: {
    /** One exposure with the light the auto-shutter gives it. */
    snap(acquire: () => Promise<RawFrame>): Promise<RawFrame>;
    moveBy(dxUm: number, dyUm: number): Promise<unknown>;
  },
  configured: StageOrientation = IDENTITY_ORIENTATION,
  stepUm = STEP_UM,
): Promise<CommandResult<'stage.checkOrientation'>> {
  if (camera.isLive()) throw new StateError('Stop live view before the orientation check');
  const r = await checkOrientation(
    { snap: () => through.snap(() => camera.snap()), moveBy: through.moveBy },
    stepUm,
  );
  const matches = (['flipX', 'flipY', 'rotate90'] as const).every(
    (k) => r.measured[k] === configured[k],
  );
  return { ...r, configured, matches };
}
