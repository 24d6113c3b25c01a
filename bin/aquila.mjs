#!/usr/bin/env node
// The `aquila` CLI (bin/load-cli.mjs picks the prebuilt bundle or the TypeScript sources), in
// this process: a signal sent to this pid reaches the host itself (npm scripts `exec` it, so
// npm's signal goes straight here). When a command returns, the process ends even if a stuck
// worker thread or a leftover handle would keep it alive (see electron/host/process-guards.ts).
import { loadCli } from './load-cli.mjs';

const { runCli, endProcess } = await loadCli(process.argv[2]);
await endProcess(await runCli(process.argv.slice(2)));
