#!/usr/bin/env node
// Runs the Aquila CLI from its TypeScript sources (tsx registers the loader), in this process:
// a signal sent to this pid reaches the host itself (npm scripts `exec` it, so npm's signal
// goes straight here). When a command returns, the process ends even if a stuck worker
// thread or a leftover handle would keep it alive (see electron/host/process-guards.ts).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../electron/cli/main.ts');
const { endProcess } = await import('../electron/host/process-guards.ts');
await endProcess(await runCli(process.argv.slice(2)));
