/**
 * The safety supervisor process (docs/safety.md §3). Started by the host before it opens
 * any port, with stdin a pipe from the host:
 *   host → stdin:  line 1 = the plan (plan.ts); later `disarm` = clean shutdown, exit quietly.
 *   stdout → host: `ready` once the plan is read; `error <message>` for a bad plan.
 * End of stdin without `disarm` means the host died (the kernel closes the pipe at once,
 * even on SIGKILL or OOM kill): open every planned port, lasers off, stages halted, log
 * one line per port on stderr and write a report the next host start shows. It holds no
 * port until then, and ignores SIGINT/SIGTERM/SIGHUP: it ends with its host, not before.
 */
import { makeSafe } from './make-safe';
import { PlanError, parsePlan, type SupervisorPlan } from './plan';
import { describeResult, summarizeReport, writeReport } from './report';

const log = (line: string) => {
  try {
    process.stderr.write(`${new Date().toISOString()} aquila-supervisor: ${line}\n`);
  } catch {
    // the terminal may be gone with the host
  }
};

let plan: SupervisorPlan | undefined;
let disarmed = false;
let hostGone = false;
let buffered = '';

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => log(`ignoring ${signal}: the supervisor ends with its host`));
}
// stdout is a pipe to the host, gone once it died; stderr may be a terminal that hung up.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

function onLine(line: string): void {
  if (plan === undefined) {
    try {
      plan = parsePlan(line);
    } catch (err) {
      const why = err instanceof PlanError ? err.message : String(err);
      process.stdout.write(`error ${why}\n`);
      log(why);
      process.exit(2);
    }
    process.stdout.write('ready\n');
    return;
  }
  if (line.trim() === 'disarm') {
    disarmed = true;
    process.exit(0);
  }
}

async function onHostGone(): Promise<void> {
  if (disarmed || hostGone) return;
  hostGone = true;
  if (plan === undefined) {
    log('the host ended before sending a plan; nothing to do');
    return;
  }
  const t0 = performance.now();
  const time = new Date().toISOString();
  const results = await makeSafe(plan.devices);
  const report = { time, hostPid: plan.hostPid, totalMs: performance.now() - t0, results };
  log(`host ${plan.hostPid} ended without a clean shutdown`);
  for (const r of results) log(describeResult(r));
  try {
    log(`report: ${writeReport(plan.reportDir, report)}`);
  } catch (err) {
    log(`cannot write the report in ${plan.reportDir}: ${(err as Error).message}`);
    log(summarizeReport(report));
  }
  process.exit(
    results.every((r) => r.outcome === 'confirmed-off' || r.outcome === 'halted') ? 0 : 1,
  );
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  buffered += chunk;
  let at: number;
  while ((at = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, at);
    buffered = buffered.slice(at + 1);
    onLine(line);
  }
});
process.stdin.on('end', () => void onHostGone());
process.stdin.on('error', () => void onHostGone());
