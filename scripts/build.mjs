// Bundles the CLI (and, with --bench, the benchmark scripts) with esbuild: Node 20 cannot run .ts itself,
// and one bundle per entry keeps process start-up short (no module resolution across hundreds of files).
import { build } from 'esbuild';
import { chmod, readdir } from 'node:fs/promises';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'linked',
  logLevel: 'warning',
  // esbuild's ESM output has no `require`; some CommonJS dependencies call it for Node built-ins.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
};

// Split: the commands that need the Azure SDKs (findings, scan, check --store) load their chunks on demand.
await build({ ...common, entryPoints: { cli: 'cli/bin.ts' }, outdir: 'dist', splitting: true, chunkNames: 'chunks/[name]-[hash]' });
// The Function App: one bundle (short cold starts); the host provides @azure/functions-core.
await build({ ...common, entryPoints: { index: 'functions/index.ts' }, outdir: 'dist/functions', external: ['@azure/functions-core'] });
await chmod('dist/cli.js', 0o755);
// `npm start` (dev only): Azurite stays an ordinary node_modules dependency, not part of a bundle.
await build({ ...common, entryPoints: { start: 'scripts/start.ts' }, outdir: 'dist', external: ['azurite'] });

if (process.argv.includes('--bench')) {
  const entries = (await readdir('bench')).filter((f) => f.endsWith('.ts')).map((f) => `bench/${f}`);
  await build({ ...common, entryPoints: entries, outdir: 'dist/bench', external: ['azurite', '@azure/functions-core'] });
}
