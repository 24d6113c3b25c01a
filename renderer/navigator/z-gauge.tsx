/** The objective's Z against the safety limits, as a vertical gauge (max = closest approach). */
import { useUi } from '../ui/host-context';

export function ZGauge() {
  const z = useUi((s) => s.mirror?.state.focus?.zUm ?? null);
  const limits = useUi((s) => s.mirror?.state.safety.limits.zUm ?? null);
  if (z === null || !limits) return null;
  const frac = Math.min(1, Math.max(0, (z - limits.min) / (limits.max - limits.min)));
  return (
    <div
      className="nav-z"
      data-testid="nav-z-gauge"
      role="meter"
      aria-label="Z against its limits"
      aria-valuemin={limits.min}
      aria-valuemax={limits.max}
      aria-valuenow={z}
    >
      <span className="nav-z-max">{limits.max}</span>
      <div className="nav-z-track">
        <div className="nav-z-mark" style={{ bottom: `${frac * 100}%` }} />
      </div>
      <span className="nav-z-min">{limits.min}</span>
      <span className="nav-z-value">{z.toFixed(1)}</span>
    </div>
  );
}
