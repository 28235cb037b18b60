// Cold start of the Function App: how long the host's Node worker takes to load the bundle and index every function
// (test/infra/functionsHost.mjs stands in for the worker), as a ratio to `node -e 0`, and what each function's
// first invocation loads on top (its import()s: chunks and npm packages). Goal: at most 2 × `node -e 0`.
// Runs are interleaved and the medians compared, so a busy machine slows both sides alike.
//
//   npm run build -- --bench && node dist/bench/coldStart.js      (COLD_START_RUNS=N, default 15)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFunctionApp, contentsOf, HOST, indexFunctionApp, lazyChunksOf, ROOT, staticClosure } from '../test/infra/functionApp.js';

const RUNS = Number(process.env.COLD_START_RUNS ?? 15);
const FUNCTION_FILES = readdirSync(join(ROOT, 'functions')).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.endsWith('Handlers.ts'));

const out = mkdtempSync(join(tmpdir(), 'vmbg-cold-start-'));
try {
  const built = await buildFunctionApp(out);
  const wall = (args: string[]): number => {
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    if (run.status !== 0) throw new Error(`${args.join(' ')}: ${run.stderr}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const cases: Record<string, string[]> = { 'node -e 0': ['-e', '0'], 'bundle (index all functions)': [HOST, built.main] };
  const lazy = Object.fromEntries(FUNCTION_FILES.map((f) => [f, lazyChunksOf(built, `functions/${f}`)]));
  for (const [file, chunks] of Object.entries(lazy)) cases[`+ ${file} first call`] = [HOST, built.main, ...chunks.flatMap((c) => ['--import', c])];
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let i = 0; i < RUNS; i++) for (const [name, args] of Object.entries(cases)) times[name]?.push(wall(args));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const base = median(times['node -e 0'] as number[]);
  const bundle = median(times['bundle (index all functions)'] as number[]);

  const size = (files: string[]) => `${(files.reduce((n, f) => n + statSync(join(ROOT, f)).size, 0) / 1024).toFixed(0)} KiB`;
  const startup = staticClosure(built.metafile, built.main);
  const registered = indexFunctionApp(built.main).functions.map((f) => f.name);
  console.log(`Function App cold start (${RUNS} interleaved runs, medians; ${registered.length} functions indexed: ${registered.join(', ')})`);
  console.log(`  node -e 0                      ${base.toFixed(0).padStart(5)} ms`);
  console.log(
    `  load bundle + index            ${bundle.toFixed(0).padStart(5)} ms   ratio ${(bundle / base).toFixed(2)} × node -e 0 (goal <= 2: ${bundle / base <= 2 ? 'met' : 'NOT met'}); start-up code ${size(startup)}: ${[...contentsOf(built.metafile, startup).packages].sort().join(', ')}`,
  );
  for (const [file, chunks] of Object.entries(lazy)) {
    const closure = [...new Set(chunks.flatMap((c) => staticClosure(built.metafile, c)))].filter((o) => !startup.includes(o));
    const extra = median(times[`+ ${file} first call`] as number[]) - bundle;
    const sdks = [...contentsOf(built.metafile, closure).packages].filter((p) => p.startsWith('@azure')).sort();
    console.log(`  + ${file.padEnd(27)} ${`+${extra.toFixed(0)}`.padStart(5)} ms   on first call, ${size(closure)}; Azure SDKs: ${sdks.join(', ') || 'none'}`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
