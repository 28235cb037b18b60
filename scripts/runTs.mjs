// Runs one TypeScript script: Node 20 cannot run .ts, so it is bundled first with the build's esbuild options
// (scripts/buildOptions.mjs) into dist/scripts/, then run with the arguments that follow it.
// Usage: node scripts/runTs.mjs scripts/<name>.ts [args...]
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { build } from 'esbuild';
import { common } from './buildOptions.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry?.endsWith('.ts')) {
  console.error('Usage: node scripts/runTs.mjs scripts/<name>.ts [args...]');
  process.exit(2);
}
const outfile = `dist/scripts/${basename(entry, '.ts')}.js`;
await build({ ...common, entryPoints: [entry], outfile });
const run = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...args], { stdio: 'inherit' });
process.exit(run.status ?? 1);
