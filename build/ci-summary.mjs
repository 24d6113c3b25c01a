// Prints the one closing line CI reads: "N passed, N failed[, N skipped]" from vitest's JSON
// report, counting a failed gate (check/build) as one failure. Exit 1 if anything failed.
import { readFileSync } from 'node:fs';

const [file, gateFailed = '0'] = process.argv.slice(2);
let passed = 0;
let failed = Number(gateFailed) > 0 ? 1 : 0;
let skipped = 0;
try {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed = r.numPassedTests;
  failed += r.numFailedTests;
  skipped = r.numPendingTests + (r.numTodoTests ?? 0);
  // A file that failed to load counts its failure even with no test inside.
  failed += r.testResults.filter(
    (t) => t.status === 'failed' && t.assertionResults.length === 0,
  ).length;
} catch (err) {
  console.error(`no test report (${err.message})`);
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
