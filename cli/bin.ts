#!/usr/bin/env node
import type { CliIo } from './io.js';
import { runCli } from './main.js';

// The process entry point (bundled as dist/cli.js); everything testable lives in main.ts.
const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stdoutIsTty: process.stdout.isTTY === true,
  stderrIsTty: process.stderr.isTTY === true,
  stdoutColumns: process.stdout.columns,
};

runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`vm-backup-guard: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 70;
  },
);
