/** Camera: exposure, binning, live on/off, snap, channel presets, frame counters. */
import type { ChannelPreset, LaserState } from '../../electron/api/contract';
import { useHost, useUi } from './host-context';
import { NumberField } from './number-field';

const BINNINGS = [1, 2, 4] as const;

/** Stable empty list: a zustand selector must not return a new array per call (React #185). */
const NO_CHANNELS: readonly never[] = [];
const NO_LASERS: Readonly<Record<string, LaserState>> = {};

/**
 * A chip shows selected only while its line really is selected (armed for the next exposure
 * or emitting): after an e-stop, an all-off or a hand switch-off it does not.
 */
export function channelSelected(
  preset: ChannelPreset,
  active: string | null,
  lasers: Readonly<Record<string, LaserState>>,
): boolean {
  const line = lasers[preset.laserId];
  return preset.name === active && !!line && (line.armed === true || line.emission);
}

export function CameraPanel() {
  const host = useHost();
  const camera = useUi((s) => s.mirror?.state.camera ?? null);
  const channels = useUi((s) => s.mirror?.state.channels ?? NO_CHANNELS);
  const active = useUi((s) => s.mirror?.state.activeChannel ?? null);
  const lasers = useUi((s) => s.mirror?.state.lasers ?? NO_LASERS);
  if (!camera) {
    return (
      <section className="panel" data-testid="camera-panel">
        <h2>Camera</h2>
        <p className="empty">No camera configured.</p>
      </section>
    );
  }
  return (
    <section className="panel" data-testid="camera-panel">
      <h2>
        Camera{' '}
        <span className="sub">
          {camera.id} · {camera.widthPx}×{camera.heightPx} · {camera.bitDepth}-bit
        </span>
      </h2>
      <div className="row">
        <button
          type="button"
          className={`toggle live${camera.live ? ' on' : ''}`}
          data-testid="live-toggle"
          aria-pressed={camera.live}
          onClick={() => void host.run(camera.live ? 'camera.stopLive' : 'camera.startLive', {})}
        >
          {camera.live ? '■ Live' : '▶ Live'}
        </button>
        <button
          type="button"
          data-testid="snap"
          disabled={camera.live}
          onClick={() => void host.run('camera.snap', {})}
        >
          Snap
        </button>
      </div>
      <div className="row">
        <NumberField
          testId="exposure"
          label="Exposure"
          unit="ms"
          width="6em"
          digits={1}
          value={camera.exposureMs}
          min={0.001}
          max={60_000}
          onCommit={(exposureMs) => void host.run('camera.setExposure', { exposureMs })}
        />
        <label className="field">
          <span className="field-label">Binning</span>
          <select
            data-testid="binning"
            value={camera.binning}
            onChange={(e) => {
              const binning = Number(e.target.value) as (typeof BINNINGS)[number];
              void host.run('camera.setBinning', { binning });
            }}
          >
            {BINNINGS.map((b) => (
              <option key={b} value={b}>
                {b}×{b}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="row counters">
        <span>
          acquired <b data-testid="frames-acquired">{camera.framesAcquired}</b>
        </span>
        <span className={camera.framesDropped > 0 ? 'dropped' : undefined}>
          dropped <b data-testid="frames-dropped">{camera.framesDropped}</b>
        </span>
        <span>
          ROI{' '}
          <b data-testid="camera-roi">
            {camera.roi
              ? `${camera.roi.widthPx}×${camera.roi.heightPx}+${camera.roi.xPx}+${camera.roi.yPx}`
              : 'full'}
          </b>
        </span>
      </div>
      {channels.length > 0 && (
        <div className="channels">
          {channels.map((c) => (
            <button
              type="button"
              key={c.name}
              className={`chip${channelSelected(c, active, lasers) ? ' on' : ''}`}
              data-testid={`channel-${c.name}`}
              aria-pressed={channelSelected(c, active, lasers)}
              title={`${c.laserId} at ${c.powerMw} mW, ${c.exposureMs} ms exposure`}
              onClick={() => void host.run('channel.apply', { name: c.name })}
            >
              {c.name}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
