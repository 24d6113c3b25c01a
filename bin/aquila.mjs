#!/usr/bin/env node
// The `aquila` CLI (bin/load-cli.mjs picks the prebuilt bundle or the TypeScript sources).
import { loadCli } from './load-cli.mjs';

const { runCli } = await loadCli(process.argv[2]);
process.exitCode = await runCli(process.argv.slice(2));
