import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterAll, describe, expect, it } from 'vitest';

const CONFIG = resolve('.dependency-cruiser.cjs');

/**
 * Violations the real tree may have while someone fixes them, by rule and module; each says why. The layer rules
 * are only worth something when this stays short.
 */
const KNOWN: { rule: string; from: string; why: string }[] = [];

/** What dependency-cruiser reports for the tree at `baseDir` (folders relative to it): modules read, violations. */
async function cruiseTree(baseDir: string, folders: string[]): Promise<{ modules: number; violations: { rule: string; from: string; to: string }[] }> {
  const options = await extractDepcruiseOptions(CONFIG);
  const tsConfig = extractTSConfig(join(baseDir, 'tsconfig.json'));
  const result = await cruise(folders, { ...options, validate: true, baseDir, outputType: 'json' }, {}, { tsConfig });
  const output = (typeof result.output === 'string' ? JSON.parse(result.output) : result.output) as ICruiseResult;
  return { modules: output.summary.totalCruised, violations: output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to })) };
}

describe('the dependency rules (.dependency-cruiser.cjs)', () => {
  it('the tree breaks none of them, but for the known violations', async () => {
    const { modules, violations } = await cruiseTree(process.cwd(), ['core', 'cli', 'functions']);
    // A cruise that resolved nothing would pass too: it must have read the tree.
    expect(modules).toBeGreaterThan(150);
    const unexplained = violations.filter((v) => !KNOWN.some((k) => k.rule === v.rule && v.from.startsWith(k.from)));
    expect(unexplained).toEqual([]);
  }, 60_000);

  describe('on a tree that breaks them on purpose', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmbg-layers-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'esnext', moduleResolution: 'bundler', strict: true } }),
      'core/store/index.ts': "export { vmPartitionKey } from './tableKeys.js';\n",
      'core/store/tableKeys.ts': 'export const vmPartitionKey = (id: string) => encodeURIComponent(id);\n',
      // Past the store's index to its keys: store-through-its-index.
      'core/sweep/x.ts': "import { vmPartitionKey } from '../store/tableKeys.js';\nexport const k = vmPartitionKey('a');\n",
      // Through the index: allowed.
      'core/sweep/ok.ts': "import { vmPartitionKey } from '../store/index.js';\nexport const k = vmPartitionKey('c');\n",
      // The rules reaching up to the store, though through its index: layer-matrix (and matrix-reads-only-snapshots).
      'core/matrix/y.ts': "import { vmPartitionKey } from '../store/index.js';\nexport const k = vmPartitionKey('b');\n",
      // Two modules of one folder importing each other: no-circular.
      'core/platform/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'core/platform/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }

    it('reports each rule it was written to break, and nothing else', async () => {
      const found = (await cruiseTree(dir, ['core'])).violations;
      const rules = (from: string) => [...new Set(found.filter((v) => v.from.startsWith(from)).map((v) => v.rule))].sort();
      expect(rules('core/sweep/')).toEqual(['store-through-its-index']);
      expect(rules('core/matrix/')).toEqual(['layer-matrix', 'matrix-reads-only-snapshots']);
      expect(rules('core/platform/')).toEqual(['no-circular']);
      expect(found.filter((v) => v.from.startsWith('core/store/') || v.from === 'core/sweep/ok.ts')).toEqual([]);
    }, 60_000);
  });
});
