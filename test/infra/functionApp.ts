import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { functionAppOptions } from '../../scripts/buildOptions.mjs';

/**
 * The Function App as `npm run build` makes it (scripts/buildOptions.mjs), built into a folder of the caller's, with
 * esbuild's metafile: which chunk each module landed in, and what each chunk imports. Used by the host-index test
 * and bench/coldStart.ts.
 */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const HOST = join(ROOT, 'test/infra/functionsHost.mjs');

export interface BuiltApp {
  main: string;
  metafile: Metafile;
}

export async function buildFunctionApp(outdir: string): Promise<BuiltApp> {
  const result = await build({ ...functionAppOptions(outdir, ROOT), absWorkingDir: ROOT, metafile: true, logLevel: 'error' });
  return { main: join(outdir, 'index.js'), metafile: result.metafile };
}

export interface Indexed {
  programmingModel: { name: string; version: string } | null;
  functions: { name: string; bindings: Record<string, Record<string, unknown>> }[];
  indexedMs: number;
  loadedMs: number;
}

/** Runs the bundle under the stand-in worker (functionsHost.mjs) in its own process; `env` is the app settings. */
export function indexFunctionApp(main: string, env: Record<string, string> = {}, imports: string[] = []): Indexed {
  const run = spawnSync(process.execPath, [HOST, main, ...imports.flatMap((m) => ['--import', m])], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  if (run.status !== 0) throw new Error(`the bundle failed to load: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as Indexed;
}

const outputPath = (metafile: Metafile, file: string): string => {
  const key = Object.keys(metafile.outputs).find((o) => join(ROOT, o) === file || o === file);
  if (!key) throw new Error(`no output ${file}`);
  return key;
};

/** The outputs a chunk loads when it is imported: itself and its static imports, transitively (not dynamic ones). */
export function staticClosure(metafile: Metafile, file: string): string[] {
  const seen = new Set<string>();
  const visit = (output: string): void => {
    if (seen.has(output)) return;
    seen.add(output);
    for (const i of metafile.outputs[output]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(outputPath(metafile, file));
  return [...seen];
}

/** The npm packages (`@azure/arm-compute`, `zod`) and the project's own modules a set of outputs holds. */
export function contentsOf(metafile: Metafile, outputs: string[]): { packages: Set<string>; modules: Set<string> } {
  const packages = new Set<string>();
  const modules = new Set<string>();
  for (const output of outputs) {
    for (const input of Object.keys(metafile.outputs[output]?.inputs ?? {})) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
      if (pkg) packages.add(pkg);
      else modules.add(input);
    }
  }
  return { packages, modules };
}

/**
 * What the handlers of one functions/*.ts file import on first use: its `import('...')`s, as the chunks esbuild made
 * for them (absolute paths).
 */
export function lazyChunksOf(built: BuiltApp, functionFile: string): string[] {
  const source = readFileSync(join(ROOT, functionFile), 'utf8');
  const entries = [...source.matchAll(/\bimport\('(\.[^']+)'\)/g)].map((m) =>
    relative(ROOT, join(ROOT, dirname(functionFile), (m[1] as string).replace(/\.js$/, '.ts'))),
  );
  return entries.map((entry) => {
    const output = Object.entries(built.metafile.outputs).find(([, o]) => o.entryPoint === entry)?.[0];
    if (!output) throw new Error(`${functionFile}: no chunk for import('${entry}')`);
    return join(ROOT, output);
  });
}
