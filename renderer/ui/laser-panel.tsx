/**
 * One row per laser line: emission toggle, power slider and field (mW), max power, and the
 * interlock when the head reports it open or cannot report it. A line armed by a channel
 * (auto-shutter: it emits only while the camera exposes) says "armed" until it emits. The
 * header holds the auto-shutter switch (off is shown as a warning) and why live last
 * stopped by itself.
 */
import { useEffect, useState } from 'react';
import type { LaserState } from '../../electron/api/contract';
import { useHost, useUi } from './host-context';
import { NumberField } from './number-field';
import '../styles/alarms.css';

function LaserRow({ laser, autoShutter }: { laser: LaserState; autoShutter: boolean }) {
  const host = useHost();
  const id = laser.id;
  const [draft, setDraft] = useState<number | null>(null);
  useEffect(() => setDraft(null), [laser.powerMw]);
  const setPower = (powerMw: number) =>
    host.run('laser.setPower', { laserId: id, powerMw }).finally(() => setDraft(null));
  const commitDraft = () => {
    if (draft !== null && draft !== laser.powerMw) void setPower(draft);
  };
  return (
    <div className={`laser${laser.emission ? ' emitting' : ''}`} data-testid={`laser-${id}`}>
      <span className="laser-name" style={{ color: wavelengthColour(laser.wavelengthNm) }}>
        {laser.wavelengthNm} nm <span className="laser-id">{id}</span>
      </span>
      <button
        type="button"
        className={`toggle${laser.emission ? ' on' : ''}`}
        data-testid={`laser-${id}-emission`}
        aria-pressed={laser.emission}
        // With auto-shutter on the host refuses a switch-on by hand; switching off always works.
        disabled={autoShutter && !laser.emission}
        title={
          autoShutter && !laser.emission
            ? 'Auto-shutter is on: select a channel (light comes with each exposure), or turn auto-shutter off'
            : undefined
        }
        onClick={() => void host.run('laser.setEmission', { laserId: id, on: !laser.emission })}
      >
        {laser.emission ? 'ON' : 'off'}
      </button>
      {laser.armed && !laser.emission && (
        <span className="laser-armed" data-testid={`laser-${id}-armed`}>
          armed
        </span>
      )}
      <input
        type="range"
        data-testid={`laser-${id}-power-slider`}
        min={0}
        max={laser.maxPowerMw}
        step={laser.maxPowerMw / 1000}
        value={draft ?? laser.powerMw}
        onChange={(e) => setDraft(Number(e.target.value))}
        onPointerUp={commitDraft}
        onKeyUp={commitDraft}
        onBlur={commitDraft}
      />
      <NumberField
        testId={`laser-${id}-power`}
        label="P"
        name={`${laser.wavelengthNm} nm power`}
        unit="mW"
        width="5em"
        value={laser.powerMw}
        min={0}
        max={laser.maxPowerMw}
        onCommit={(mw) => void setPower(mw)}
      />
      <span className="laser-max" data-testid={`laser-${id}-max`}>
        max {laser.maxPowerMw} mW
      </span>
      {laser.interlock && laser.interlock !== 'closed' && (
        <span className="laser-interlock" data-testid={`laser-${id}-interlock`}>
          interlock {laser.interlock}
        </span>
      )}
    </div>
  );
}

/** Rough display colour for a wavelength label (visible range; IR/UV greyed). */
function wavelengthColour(nm: number): string {
  if (nm < 420) return '#b48cff';
  if (nm < 480) return '#6f8cff';
  if (nm < 510) return '#4fd2ff';
  if (nm < 570) return '#5fe07a';
  if (nm < 600) return '#ffd84a';
  if (nm < 700) return '#ff6a5a';
  return '#c0a0a0';
}

export function LaserPanel() {
  const host = useHost();
  const lasers = useUi((s) => s.mirror?.state.lasers ?? null);
  const shutter = useUi((s) => s.mirror?.state.shutter ?? null);
  const list = lasers ? Object.values(lasers).sort((a, b) => a.wavelengthNm - b.wavelengthNm) : [];
  return (
    <section className="panel" data-testid="laser-panel">
      <h2>
        Lasers
        <button
          type="button"
          className="small"
          data-testid="lasers-all-off"
          disabled={list.length === 0}
          onClick={() => void host.run('laser.allOff', {})}
        >
          all off
        </button>
        {shutter && (
          <button
            type="button"
            className={`small toggle${shutter.auto ? ' on' : ''}`}
            data-testid="lasers-auto-shutter"
            aria-pressed={shutter.auto}
            title="Auto-shutter: light only while the camera exposes"
            onClick={() => void host.run('shutter.setAuto', { enabled: !shutter.auto })}
          >
            auto-shutter {shutter.auto ? 'on' : 'OFF'}
          </button>
        )}
      </h2>
      {shutter && !shutter.auto && (
        <p className="laser-warning" role="alert" data-testid="lasers-auto-shutter-off">
          Auto-shutter is off: a line switched on stays on while the camera is idle.
        </p>
      )}
      {shutter?.liveStopReason && (
        <p className="sub" data-testid="lasers-live-stopped">
          {shutter.liveStopReason}
        </p>
      )}
      {list.length === 0 && <p className="empty">No lasers configured.</p>}
      {list.map((l) => (
        <LaserRow key={l.id} laser={l} autoShutter={shutter?.auto ?? false} />
      ))}
    </section>
  );
}
