// Bundles the CLI, the Function App (and, with --bench, the benchmark scripts) with esbuild: Node 20 cannot run .ts
// itself, and bundles keep process start-up short (no module resolution across hundreds of files).
import { build } from 'esbuild';
import { chmod, readdir, rm } from 'node:fs/promises';
import { common, functionAppOptions } from './buildOptions.mjs';

// Split: the commands that need the Azure SDKs (findings, scan, check --store) load their chunks on demand.
await build({ ...common, entryPoints: { cli: 'cli/bin.ts' }, outdir: 'dist', splitting: true, chunkNames: 'chunks/[name]-[hash]' });
// The Function App, split per handler (scripts/buildOptions.mjs); emptied first so no stale chunk gets packaged.
await rm('dist/functions', { recursive: true, force: true });
await build(functionAppOptions('dist/functions'));
await chmod('dist/cli.js', 0o755);
// `npm start` (dev only): Azurite stays an ordinary node_modules dependency, not part of a bundle. It serves the API
// and the dashboard with the Function App's own handlers (scripts/localApiServer.ts).
await build({ ...common, entryPoints: { start: 'scripts/start.ts' }, outdir: 'dist', external: ['azurite', '@azure/functions-core'] });

if (process.argv.includes('--bench')) {
  const entries = (await readdir('bench')).filter((f) => f.endsWith('.ts')).map((f) => `bench/${f}`);
  // esbuild stays a package: bench/coldStart builds the Function App itself, with the options above.
  await build({ ...common, entryPoints: entries, outdir: 'dist/bench', external: ['azurite', '@azure/functions-core', 'esbuild'] });
}
