/**
 * `npm run bench:macros` — what the sandbox costs per API call, and how fast an abort lands:
 * 1. BENCH_CALLS (default 10,000) `stage.position` calls from a macro against the same calls
 *    from host code through the same dispatcher, in the same run (goal: ≤ 3× per call);
 * 2. `macro.abort` of a macro spinning in `while (true) {}` (goal: ≤ 1 s), BENCH_ABORTS times.
 * On the small simulated microscope (test/support/macro-host.ts).
 */
import { macroHost, MACRO_CTX, startMacro } from '../support/macro-host';
import { removeTempDirs } from '../support/temp-dir';

const CALLS = Number(process.env.BENCH_CALLS ?? 10_000);
const ABORTS = Number(process.env.BENCH_ABORTS ?? 5);

async function main(): Promise<void> {
  const host = await macroHost();
  try {
    // warm both paths (JIT, the worker's wasm compile)
    for (let i = 0; i < 200; i++) await host.call('stage.position', {}, MACRO_CTX);

    const t0 = performance.now();
    for (let i = 0; i < CALLS; i++) {
      const r = await host.call('stage.position', {}, MACRO_CTX);
      if (!r.ok) throw new Error(r.error.message);
    }
    const hostUs = ((performance.now() - t0) * 1000) / CALLS;

    const id = await startMacro(host, {
      source: `for (let i = 0; i < 200; i++) await aquila.stage.position();
               const t0 = Date.now();
               for (let i = 0; i < ${CALLS}; i++) await aquila.stage.position();
               aquila.log(String(Date.now() - t0));`,
    });
    const v = await host.macros.whenDone(id);
    if (v.error) throw new Error(v.error.message);
    const macroUs = (Number(v.console[0]!.text) * 1000) / CALLS;
    const ratio = macroUs / hostUs;
    console.log(`stage.position × ${CALLS}`);
    console.log(`  host code  ${hostUs.toFixed(1)} µs/call`);
    console.log(`  macro      ${macroUs.toFixed(1)} µs/call`);
    console.log(`  ratio      ${ratio.toFixed(2)}× (goal ≤ 3×) ${ratio <= 3 ? 'OK' : 'OVER'}`);

    const latencies: number[] = [];
    for (let i = 0; i < ABORTS; i++) {
      const spin = await startMacro(host, { source: `aquila.log('spinning');\nwhile (true) {}` });
      while (!host.store.state.macros?.find((m) => m.id === spin)?.console.length)
        await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 50));
      const a0 = performance.now();
      const r = await host.call('macro.abort', { id: spin }, MACRO_CTX);
      if (!r.ok) throw new Error(r.error.message);
      latencies.push(performance.now() - a0);
    }
    const worst = Math.max(...latencies);
    console.log(
      `abort under while(true){} (${ABORTS}×): ${latencies.map((l) => l.toFixed(0)).join(', ')} ms; worst ${worst.toFixed(0)} ms (goal ≤ 1000 ms) ${worst <= 1000 ? 'OK' : 'OVER'}`,
    );
  } finally {
    await host.shutdown('bench end');
    removeTempDirs();
  }
}

await main();
