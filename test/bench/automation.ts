/**
 * Automation benchmark (issue #12): runs every section file in test/bench/automation/
 * (each exports `run(): Promise<SectionReport>`), prints each section's lines, then a
 * summary table of goals. All figures come from this one run on the simulated microscope,
 * each beside a baseline measured in the same run by the section itself.
 * Run: npm run bench:automation [-- --only=autofocus,rois]
 * Exit code 1 when a section throws (a goal not met is reported, not an error).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { table, type SectionReport } from './automation/report';

const dir = path.join(import.meta.dirname, 'automation');
const only = /--only=(\S+)/.exec(process.argv.join(' '))?.[1]?.split(',');

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'report.ts')
  .filter((f) => !only || only.includes(path.basename(f, '.ts')))
  .sort();

const summary: string[][] = [['section', 'goal', 'seconds']];
let failed = false;
for (const file of files) {
  const name = path.basename(file, '.ts');
  const t0 = performance.now();
  try {
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as {
      run?: () => Promise<SectionReport>;
    };
    if (typeof mod.run !== 'function') {
      summary.push([name, 'no run() export', '-']);
      continue;
    }
    const r = await mod.run();
    console.log(`\n== ${r.section} ==`);
    for (const line of r.lines) console.log(line);
    summary.push([
      r.section,
      r.goalMet ? 'met' : 'NOT met',
      ((performance.now() - t0) / 1000).toFixed(1),
    ]);
  } catch (err) {
    failed = true;
    console.error(
      `\n== ${name}: failed ==\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    summary.push([name, 'error', ((performance.now() - t0) / 1000).toFixed(1)]);
  }
}
console.log('\n== summary ==');
for (const line of table(summary)) console.log(line);
process.exitCode = failed ? 1 : 0;
