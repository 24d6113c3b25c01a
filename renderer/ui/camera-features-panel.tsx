/**
 * Issue #14: the camera's device panel: model, serial and firmware (the DeviceIdentity the
 * host keeps) and, opened on demand, its feature browser. It sits outside the control gate so
 * observers can open and filter it; writes are offered only to the client in control (the
 * host's lease is the check). Failed writes show at the field, not as a notice.
 */
import { useState } from 'react';
import type { FeatureValue, FeatureView } from '../../electron/api/contract';
import { toApiError } from '../transport/call-error';
import { FeatureBrowser } from './camera-features';
import { useCanControl } from './control-bar';
import { useHost, useUi } from './host-context';

export function CameraFeaturesPanel() {
  const host = useHost();
  const inControl = useCanControl();
  const latched = useUi((s) => s.mirror?.state.safety.estopLatched ?? false);
  const camera = useUi((s) =>
    Object.values(s.mirror?.state.devices ?? {}).find((d) => d.kind === 'camera'),
  );
  const [features, setFeatures] = useState<FeatureView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  if (!camera) return null;
  const load = async () => {
    try {
      setFeatures((await host.connection.call('camera.listFeatures', {})).features);
      setLoadError(null);
    } catch (err) {
      setLoadError(toApiError(err).message);
    }
  };
  const onSet = async (name: string, value: FeatureValue | null) => {
    try {
      const after = await host.connection.call('camera.setFeature', { name, value });
      setFeatures((list) => list && list.map((f) => (f.name === name ? after : f)));
      setErrors(({ [name]: _gone, ...rest }) => rest);
    } catch (err) {
      const e = toApiError(err);
      setErrors((all) => ({ ...all, [name]: `${e.code}: ${e.message}` }));
    }
  };
  const id = camera.identity;
  return (
    <section className="panel" data-testid="camera-device-panel">
      <h2>
        Camera <span className="sub">{camera.id}</span>
      </h2>
      <div data-testid="camera-identity">
        {id ? (
          <>
            {id.vendor} {id.model}
            <div className="sub">
              serial {id.serial} · firmware {id.firmware}
            </div>
          </>
        ) : (
          <span className="sub">not identified ({camera.connection})</span>
        )}
      </div>
      <details
        onToggle={(e) => {
          if (e.currentTarget.open && !features) void load();
        }}
      >
        <summary data-testid="camera-features-toggle">Features</summary>
        {loadError && (
          <p className="dev-error" data-testid="camera-features-error">
            {loadError}
          </p>
        )}
        {features && (
          <>
            <button type="button" className="small" onClick={() => void load()}>
              reload
            </button>
            <FeatureBrowser
              features={features}
              editable={inControl && !latched}
              errors={errors}
              onSet={(name, value) => void onSet(name, value)}
            />
          </>
        )}
      </details>
    </section>
  );
}
