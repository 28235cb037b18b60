// Types for scripts/buildOptions.mjs, which the tests and benchmarks import.
import type { BuildOptions } from 'esbuild';

export const common: BuildOptions;
export function functionsRuntime(root?: string): { name: 'node'; version: string };
export function functionAppOptions(outdir?: string, root?: string): BuildOptions;
