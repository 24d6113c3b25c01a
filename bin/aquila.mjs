#!/usr/bin/env node
// Runs the Aquila CLI from its TypeScript sources (tsx registers the loader).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../electron/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
