#!/usr/bin/env node
// Thin launcher: `npm ci` runs `prepare`, which compiles TypeScript into dist/.
import { main } from '../dist/handlers/cli.js';

process.exitCode = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
