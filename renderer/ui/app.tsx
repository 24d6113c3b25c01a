/**
 * Page layout: header (always-visible E-STOP), device alarms, disk warning, live view centre, side bar
 * right with tabs (control / acquire / automate / macros / navigate / data). Inactive tabs are
 * hidden, not unmounted, so a half-built plan survives switching.
 */
import type { KeyboardEvent } from 'react';
import { AcquisitionPanel } from './acquisition-panel';
import { AuditPanel } from './audit-panel';
import { AutomationTab } from './automation/automation-tab';
import { CameraPanel } from './camera-panel';
import { ControlBar, useCanControl } from './control-bar';
import { DatasetList } from './dataset-list';
import { DeviceAlarms } from './device-alarms';
import { DevicesPanel } from './devices-panel';
import { CameraFeaturesPanel } from './camera-features-panel';
import { HeaderBar } from './header-bar';
import { LaserPanel } from './laser-panel';
import { LiveView } from './live-view';
import { MacrosTab } from './macros/macros-tab';
import { RunningMacros } from './macros/running-macros';
import { NavigatePanel } from '../navigator/navigate-panel';
import { EventLog, Notices } from './notices';
import { StagePanel } from './stage-panel';
import { StorageSummary, StorageWarning } from './storage-warning';
import { UploadPanel } from './upload-panel';
import { useHost, useUi } from './host-context';
import { useViewSync } from './view-sync';
import '../styles/acquisition.css';

const TABS = [
  { id: 'control', label: 'Control' },
  { id: 'acquire', label: 'Acquire' },
  { id: 'automate', label: 'Automate' },
  { id: 'macros', label: 'Macros' },
  { id: 'navigate', label: 'Navigate' },
  { id: 'data', label: 'Data' },
] as const;

/** Arrow keys (and Home / End) move between tabs, as in every tab list (WAI-ARIA). */
function tabForKey(key: string, current: string): (typeof TABS)[number]['id'] | null {
  const i = Math.max(
    0,
    TABS.findIndex((t) => t.id === current),
  );
  const n = TABS.length;
  const to =
    key === 'ArrowRight'
      ? (i + 1) % n
      : key === 'ArrowLeft'
        ? (i - 1 + n) % n
        : key === 'Home'
          ? 0
          : key === 'End'
            ? n - 1
            : null;
  return to === null ? null : TABS[to]!.id;
}

export function App() {
  // Readouts stay visible while disconnected but are dimmed: they may be out of date.
  const stale = useUi((s) => s.link.state !== 'connected');
  const host = useHost();
  // The tab lives in the store: the host keeps it for the next page (view-sync.ts).
  const kept = useUi((s) => s.tab);
  // A tab this build does not have (kept by a newer page) falls back to Control.
  const tab = TABS.some((t) => t.id === kept) ? kept : 'control';
  const setTab = useUi((s) => s.setTab);
  useViewSync(host);
  const onTabKey = (e: KeyboardEvent<HTMLElement>) => {
    const next = tabForKey(e.key, tab);
    if (!next) return;
    e.preventDefault();
    setTab(next);
    e.currentTarget.querySelector<HTMLElement>(`[data-testid="tab-${next}"]`)?.focus();
  };
  // Observers (and operators while someone else holds control) see every panel with its
  // inputs disabled; E-STOP in the header stays live for everyone.
  const inControl = useCanControl();
  // While the e-stop is latched every control that could move or light is locked (the host
  // refuses them anyway); the Data tab stays usable and the header keeps Reset.
  const latched = useUi((s) => s.mirror?.state.safety.estopLatched ?? false);
  return (
    <div className={`app${stale ? ' stale' : ''}`} data-testid="app">
      <HeaderBar />
      <DeviceAlarms />
      <StorageWarning />
      <main className="workspace">
        <LiveView />
        <aside className="side">
          <nav className="tabs" role="tablist" onKeyDown={onTabKey}>
            {TABS.map((t) => (
              <button
                type="button"
                role="tab"
                key={t.id}
                aria-selected={tab === t.id}
                tabIndex={tab === t.id ? 0 : -1}
                data-testid={`tab-${t.id}`}
                onClick={() => setTab(t.id)}
              >
                {t.label}
              </button>
            ))}
          </nav>
          <ControlBar />
          <fieldset className="control-gate" disabled={!inControl} data-testid="control-gate">
            <fieldset className="estop-gate" disabled={latched} data-testid="estop-gate">
              <div role="tabpanel" hidden={tab !== 'control'}>
                <StagePanel />
                <CameraPanel />
                <LaserPanel />
                <DevicesPanel />
              </div>
              <div role="tabpanel" hidden={tab !== 'acquire'}>
                <AcquisitionPanel />
              </div>
              <div role="tabpanel" hidden={tab !== 'automate'}>
                <AutomationTab />
              </div>
              <div role="tabpanel" hidden={tab !== 'macros'}>
                <MacrosTab />
              </div>
              <div role="tabpanel" hidden={tab !== 'navigate'}>
                <NavigatePanel />
              </div>
            </fieldset>
            <div role="tabpanel" hidden={tab !== 'data'}>
              <StorageSummary />
              <DatasetList />
              <UploadPanel />
            </div>
          </fieldset>
          {/* Issue #14: observers open and filter it, so outside the control gate. */}
          <div hidden={tab !== 'control'}>
            <CameraFeaturesPanel />
          </div>
          <div hidden={tab !== 'data'}>
            <AuditPanel />
          </div>
          <RunningMacros />
          <EventLog />
        </aside>
      </main>
      <Notices />
    </div>
  );
}
