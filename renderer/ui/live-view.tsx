/**
 * The live image: a canvas driven by LiveViewController (frames never enter React
 * state), overlays written directly by the render loop, display controls bound to the
 * store, and keyboard jogging while the canvas has focus.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { COLORMAP_NAMES, isColormapName } from '../display/colormaps';
import { LiveViewController } from '../display/live-view-controller';
import { GAMMA_MAX, GAMMA_MIN } from '../display/lut';
import { isStopKey, JogGate, jogForKey } from '../input/stage-keys';
import { useHost, useUi } from './host-context';
import { RoiOverlay } from './automation/roi-overlay';
import { NumberField } from './number-field';

export function LiveView() {
  const host = useHost();
  const canvas = useRef<HTMLCanvasElement>(null);
  const histogram = useRef<HTMLCanvasElement>(null);
  const fps = useRef<HTMLSpanElement>(null);
  const pixel = useRef<HTMLSpanElement>(null);
  const frameInfo = useRef<HTMLSpanElement>(null);
  const scaleBar = useRef<HTMLDivElement>(null);
  const scaleLabel = useRef<HTMLSpanElement>(null);
  const rendererKind = useRef<HTMLSpanElement>(null);
  const imageLayer = useRef<HTMLDivElement>(null);
  const controller = useRef<LiveViewController | null>(null);
  const gate = useRef(new JogGate());

  useEffect(() => {
    const els = {
      canvas: canvas.current,
      histogram: histogram.current,
      fps: fps.current,
      pixel: pixel.current,
      frameInfo: frameInfo.current,
      scaleBar: scaleBar.current,
      scaleLabel: scaleLabel.current,
      imageLayer: imageLayer.current,
    };
    if (Object.values(els).some((e) => e === null)) return;
    let c: LiveViewController;
    try {
      c = new LiveViewController(
        els as { [K in keyof typeof els]: NonNullable<(typeof els)[K]> },
        host,
        host.store,
      );
    } catch (err) {
      host.store.getState().pushNotice('error', `Live view unavailable: ${(err as Error).message}`);
      return;
    }
    if (rendererKind.current) rendererKind.current.textContent = c.renderer.kind;
    controller.current = c;
    c.start();
    return () => {
      c.stop();
      controller.current = null;
    };
  }, [host]);

  const onKeyDown = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const s = host.store.getState();
    if (isStopKey(e)) {
      e.preventDefault();
      if (s.mirror?.state.stage) void host.run('stage.stop', {});
      if (s.mirror?.state.focus) void host.run('focus.stop', {});
      return;
    }
    // Latched: the host would refuse the jog; the banner already says why.
    if (s.mirror?.state.safety.estopLatched) return;
    const jog = jogForKey(e, s.jogStepUm, s.jogStepZUm, s.mirror?.state.stageOrientation);
    if (!jog) return;
    e.preventDefault();
    if (!gate.current.tryBegin(jog.axis, e.repeat)) return;
    const done = () => gate.current.end(jog.axis);
    const run =
      jog.command === 'stage.moveBy'
        ? host.run(jog.command, jog.args)
        : host.run(jog.command, jog.args);
    void run.finally(done);
  };

  return (
    <section className="live">
      <div className="live-stage">
        <canvas
          ref={canvas}
          className="live-canvas"
          data-testid="live-view"
          tabIndex={0}
          aria-label="Live image. Arrow keys move the view, Page Up/Down jog Z, Escape stops motion, Alt+click centres the clicked point."
          onKeyDown={onKeyDown}
        />
        <div className="image-layer" data-testid="image-layer" ref={imageLayer}>
          <RoiOverlay />
        </div>
        <div className="overlay top-left">
          <span data-testid="frame-info" ref={frameInfo}>
            no frame yet
          </span>
        </div>
        <div className="overlay top-right">
          <span data-testid="fps" ref={fps}>
            0.0 fps
          </span>
          <span className="renderer-kind" data-testid="renderer-kind" ref={rendererKind} />
        </div>
        <div className="overlay bottom-left">
          <span data-testid="pixel-readout" ref={pixel}>
            —
          </span>
        </div>
        <div className="overlay bottom-right scale">
          <div className="scale-bar" data-testid="scale-bar" ref={scaleBar} />
          <span data-testid="scale-label" ref={scaleLabel} />
        </div>
      </div>
      <DisplayControls histogram={histogram} onFit={() => controller.current?.fit()} />
    </section>
  );
}

function DisplayControls(p: {
  histogram: React.RefObject<HTMLCanvasElement | null>;
  onFit(): void;
}) {
  const colormap = useUi((s) => s.colormap);
  const min = useUi((s) => s.windowMin);
  const max = useUi((s) => s.windowMax);
  const gamma = useUi((s) => s.gamma);
  const auto = useUi((s) => s.autoContrast);
  const setColormap = useUi((s) => s.setColormap);
  const setWindowEdge = useUi((s) => s.setWindowEdge);
  const setGamma = useUi((s) => s.setGamma);
  const setAuto = useUi((s) => s.setAutoContrast);
  // One LUT per channel: these controls edit the LUT of the channel the image shows.
  const channel = useUi((s) => s.displayChannel);
  return (
    <div className="display-controls">
      <canvas className="histogram" data-testid="histogram" ref={p.histogram} />
      <div className="row">
        <span className="display-channel" data-testid="display-channel" title="LUT of this channel">
          {channel ?? '—'}
        </span>
        <button
          type="button"
          className={`toggle${auto ? ' on' : ''}`}
          data-testid="auto-contrast"
          aria-pressed={auto}
          onClick={() => setAuto(!auto)}
        >
          Auto
        </button>
        <NumberField
          testId="display-min"
          label="min"
          width="5em"
          digits={0}
          value={min}
          min={0}
          max={65535}
          onCommit={(v) => setWindowEdge('min', v)}
        />
        <NumberField
          testId="display-max"
          label="max"
          width="5em"
          digits={0}
          value={max}
          min={1}
          max={65535}
          onCommit={(v) => setWindowEdge('max', v)}
        />
        <label className="field">
          <span className="field-label">γ</span>
          <input
            type="range"
            data-testid="gamma"
            min={Math.log10(GAMMA_MIN)}
            max={Math.log10(GAMMA_MAX)}
            step={0.01}
            value={Math.log10(gamma)}
            onChange={(e) => setGamma(10 ** Number(e.target.value))}
            onDoubleClick={() => setGamma(1)}
          />
          <span className="unit" data-testid="gamma-value">
            {gamma.toFixed(2)}
          </span>
        </label>
        <label className="field">
          <span className="field-label">LUT</span>
          <select
            data-testid="colormap"
            value={colormap}
            onChange={(e) => isColormapName(e.target.value) && setColormap(e.target.value)}
          >
            {COLORMAP_NAMES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="button" data-testid="fit-view" onClick={p.onFit}>
          Fit
        </button>
      </div>
    </div>
  );
}
