/** The Automate tab: autofocus, focus lock, ROI finder and unattended runs. */
import { AutofocusPanel } from './autofocus-panel';
import { AutomationPanel } from './automation-panel';
import { FocusLockPanel } from './focus-lock-panel';
import { RoiFinderPanel } from './roi-finder-panel';
import '../../styles/automation.css';

export function AutomationTab() {
  return (
    <>
      <AutofocusPanel />
      <FocusLockPanel />
      <RoiFinderPanel />
      <AutomationPanel />
    </>
  );
}
