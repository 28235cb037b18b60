// esbuild options shared by scripts/build.mjs and the tests and benchmarks that build the Function App themselves
// (test/infra/hostIndex.test.ts, bench/coldStart.ts): what they load is what `npm run build` ships.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardDocumentPlugin } from './dashboardDocument.mjs';

export const common = {
  bundle: true,
  platform: 'node',
  // The CLI, `npm start`, the tests and the benchmarks run on this machine's Node (engines: >=20).
  target: 'node20',
  format: 'esm',
  sourcemap: 'linked',
  logLevel: 'warning',
  // esbuild's ESM output has no `require`; some CommonJS dependencies call it for Node built-ins.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  // `import page from 'dashboard:document'` (functions/dashboardHandlers.ts): the dashboard, built from dashboard/.
  plugins: [dashboardDocumentPlugin()],
};

/** The template's `functionAppConfig.runtime`: the one place that says which Node the Function App runs on. */
export function functionsRuntime(root = '.') {
  const templatePath = join(root, 'infra/main.json');
  let found = null;
  const visit = (value) => {
    if (found || typeof value !== 'object' || value === null) return;
    if (value.functionAppConfig?.runtime) found = value.functionAppConfig.runtime;
    else Object.values(value).forEach(visit);
  };
  visit(JSON.parse(readFileSync(templatePath, 'utf8')));
  if (found?.name !== 'node' || !/^\d+$/.test(String(found.version)))
    throw new Error('infra/main.json: no functionAppConfig.runtime { name: node, version: <major> }');
  return { name: found.name, version: String(found.version) };
}

/**
 * The Function App: esbuild's code splitting, so index.js holds only the registrations (the host indexes every
 * function at start-up) and each handler imports its SDKs on first use; chunks/ holds them. Targets the Node the
 * template deploys; the host provides @azure/functions-core. `root`: the project (a path, not import.meta.url, which
 * moves when this file is bundled into a benchmark).
 */
export function functionAppOptions(outdir = 'dist/functions', root = '.') {
  return {
    ...common,
    target: `node${functionsRuntime(root).version}`,
    entryPoints: { index: 'functions/index.ts' },
    outdir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    external: ['@azure/functions-core'],
    // The dashboard page goes into the chunk of functions/dashboardHandlers.ts, built from `root`'s dashboard/.
    plugins: [dashboardDocumentPlugin(root)],
  };
}
