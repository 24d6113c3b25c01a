/**
 * How every entry (`serve`, `acquire`, Electron) starts a host: show what a supervisor did
 * after the previous host died, start the safety supervisor for this config's serial lasers
 * and stages (before the host opens any port), then create the host watched by it.
 * A config with no serial laser or stage starts no supervisor (docs/safety.md §3).
 */
import path from 'node:path';
import { sessionDir } from '../../cli/session-file';
import type { LoadedConfig } from '../../config/load';
import { createHost, type Host, type HostOptions } from '../../host/host';
import { planFromConfig } from './plan-from-config';
import { summarizeReport, takeReports } from './report';
import { startSupervisor } from './supervisor-client';

/** Where supervisors leave their reports: `<AQUILA_HOME or ~/.aquila>/safety`. */
export function supervisorReportDir(): string {
  return path.join(sessionDir(), 'safety');
}

export async function createSupervisedHost(
  loaded: LoadedConfig,
  options: Omit<HostOptions, 'supervisor' | 'supervisorNote' | 'supervisorReports'> = {},
): Promise<Host> {
  const reportDir = supervisorReportDir();
  const { reports, unreadable } = takeReports(reportDir);
  const { plan, notCovered } = planFromConfig(loaded.config.devices, process.pid, reportDir);
  const supervisor = plan.devices.length > 0 ? await startSupervisor(plan) : undefined;
  const supervisorNote =
    notCovered.length > 0
      ? `Not covered by the supervisor: ${notCovered.map((n) => `${n.id} (${n.why})`).join(', ')}`
      : undefined;
  try {
    return await createHost(loaded, {
      ...options,
      supervisor,
      supervisorNote,
      supervisorReports: [
        ...reports.map(summarizeReport),
        ...unreadable.map((u) => `Unreadable supervisor report ${u}`),
      ],
    });
  } catch (err) {
    // The host did not start (e.g. a device failed to connect): nothing for the supervisor.
    await supervisor?.disarm();
    throw err;
  }
}
