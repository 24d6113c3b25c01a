/** Page layout: header (always-visible E-STOP), live view centre, control panels right. */
import { CameraPanel } from './camera-panel';
import { DevicesPanel } from './devices-panel';
import { HeaderBar } from './header-bar';
import { LaserPanel } from './laser-panel';
import { LiveView } from './live-view';
import { EventLog, Notices } from './notices';
import { StagePanel } from './stage-panel';

export function App() {
  return (
    <div className="app">
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
