/** Page layout: header (always-visible E-STOP), live view centre, control panels right. */
import { CameraPanel } from './camera-panel';
import { DevicesPanel } from './devices-panel';
import { HeaderBar } from './header-bar';
import { LaserPanel } from './laser-panel';
import { LiveView } from './live-view';
import { EventLog, Notices } from './notices';
import { StagePanel } from './stage-panel';
import { useUi } from './host-context';

export function App() {
  // Readouts stay visible while disconnected but are dimmed: they may be out of date.
  const stale = useUi((s) => s.link.state !== 'connected');
  return (
    <div className={`app${stale ? ' stale' : ''}`} data-testid="app">
      <HeaderBar />
      <main className="workspace">
        <LiveView />
        <aside className="side">
          <StagePanel />
          <CameraPanel />
          <LaserPanel />
          <DevicesPanel />
          <EventLog />
        </aside>
      </main>
      <Notices />
    </div>
  );
}
