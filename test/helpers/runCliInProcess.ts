import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/main.js';
import type { ArmAccess } from '../../core/inventory/arm/armAccess.js';
import type { StoreAccessForTests } from '../../cli/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output; no colours unless the test asks for a terminal. */
export async function cli(
  args: string[],
  options: { env?: Record<string, string | undefined>; tty?: boolean; columns?: number; azure?: ArmAccess; storeAccess?: StoreAccessForTests } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: options.env ?? {},
    stdoutIsTty: options.tty ?? false,
    ...(options.columns !== undefined ? { stdoutColumns: options.columns } : {}),
    ...(options.azure ? { azure: options.azure } : {}),
    ...(options.storeAccess ? { storeAccess: options.storeAccess } : {}),
  });
  return { code, stdout, stderr };
}

/** Writes `files` (name → JSON value, or raw text) into a fresh temporary directory; returns its path. */
export function tempFiles(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vbg-test-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}
