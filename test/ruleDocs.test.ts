import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { getEdition } from '../core/matrix/editions/index.js';
import { COVERAGE_PATH, pageWithFrontMatter, readGeneratedDocs, rulePagePath, staleness, STUB_MARKER } from '../scripts/ruleDocs.js';
import { runRuleDocs } from '../scripts/ruleDocsCommand.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The docs the generator owns, copied so a test can break them without touching the checkout. */
function copyOfDocs(): string {
  const copy = mkdtempSync(join(tmpdir(), 'rule-docs-'));
  mkdirSync(join(copy, 'docs'));
  cpSync(join(root, 'docs/rules'), join(copy, 'docs/rules'), { recursive: true });
  cpSync(join(root, COVERAGE_PATH), join(copy, COVERAGE_PATH));
  copies.push(copy);
  return copy;
}
const copies: string[] = [];
afterEach(() => {
  for (const copy of copies.splice(0)) rmSync(copy, { recursive: true, force: true });
});

function run(args: string[], at: string) {
  let stdout = '';
  let stderr = '';
  const code = runRuleDocs(args, at, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('docs generated from the editions (npm run docs:rules)', () => {
  it('every rule page and docs/matrix-coverage.md are current: run `npm run docs:rules` when this fails', () => {
    const stale = readGeneratedDocs(root)
      .map(staleness)
      .filter((why) => why !== null);
    expect(stale).toEqual([]);
  });

  it('a page whose severity or citation differs from the editions is stale, naming the file and the line', () => {
    const page = readGeneratedDocs(root).find((doc) => doc.path === rulePagePath('storage.disk-size'))!;
    const wrongSeverity = page.current!.replace('"2026-03": error', '"2026-03": warning');
    expect(staleness({ ...page, current: wrongSeverity })).toMatch(
      /^docs\/rules\/storage\.disk-size\.md: stale at line 3 \(the editions say: "severity: \{ \\"2019-02\\": error, \\"2026-03\\": error \}"/,
    );
    const wrongCitation = page.current!.replace('up to 64 TB per disk', 'up to 32 TB per disk');
    expect(staleness({ ...page, current: wrongCitation })).toMatch(/stale at line 6/);
  });

  it('puts a missing generated line where the pages have it: citation after matrix, the rest at the top', () => {
    const page = readGeneratedDocs(root).find((doc) => doc.path === rulePagePath('vault.region'))!.current!;
    const stripped = page.replace(/^(citation|severity): .*\n/gm, '');
    expect(stripped).not.toBe(page);
    expect(pageWithFrontMatter('vault.region', stripped)).toBe(page);
    // A page written without front matter keeps every word, under the generated lines.
    const body = page.slice(page.indexOf('\n---\n') + 5);
    expect(pageWithFrontMatter('vault.region', body)).toMatch(/^---\nid: vault\.region\nseverity: .*\neditions: .*\ncitation: .*\n---\n# vault\.region\n/);
  });

  it('--check exits 1 naming the stale file; a run without it rewrites the file and keeps what people wrote', () => {
    const copy = copyOfDocs();
    const page = join(copy, rulePagePath('locks.resource-group'));
    const original = readFileSync(page, 'utf8');
    writeFileSync(page, original.replace('"2019-02": error', '"2019-02": info'));
    const check = run(['--check'], copy);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('docs/rules/locks.resource-group.md: stale at line 3');
    expect(check.stderr).toContain('1 file(s) differ from core/matrix/editions: run `npm run docs:rules`');
    expect(run([], copy)).toMatchObject({ code: 0, stdout: 'wrote docs/rules/locks.resource-group.md\n' });
    // The note on a graded severity is written by people, and survives.
    expect(readFileSync(page, 'utf8')).toBe(original);
    expect(run(['--check'], copy)).toMatchObject({ code: 0, stderr: '' });
  });

  it('the coverage table follows the editions', () => {
    const copy = copyOfDocs();
    const coverage = join(copy, COVERAGE_PATH);
    const citation = getEdition('2026-03').rules.find((r) => r.rule.id === 'storage.disk-size')!.citation.row;
    writeFileSync(coverage, readFileSync(coverage, 'utf8').replace(citation, 'something else'));
    expect(run(['--check'], copy).stderr).toMatch(/^docs\/matrix-coverage\.md: stale at line \d+/);
    run([], copy);
    expect(run(['--check'], copy).code).toBe(0);
  });

  it('a rule without a page gets a stub with its front matter, which --check refuses until a person writes it', () => {
    const copy = copyOfDocs();
    const page = join(copy, rulePagePath('compute.spot-vm'));
    rmSync(page);
    expect(run(['--check'], copy)).toMatchObject({ code: 1, stderr: expect.stringContaining('docs/rules/compute.spot-vm.md: missing') });
    expect(run([], copy).stdout).toContain('wrote docs/rules/compute.spot-vm.md\ndocs/rules/compute.spot-vm.md: still the generated stub');
    const stub = readFileSync(page, 'utf8');
    expect(stub).toMatch(/^---\nid: compute\.spot-vm\nseverity: \{ "2026-03": warning \}\neditions: \["2026-03"\]\n/);
    expect(stub).toContain(STUB_MARKER);
    expect(run(['--check'], copy)).toMatchObject({ code: 1, stderr: expect.stringContaining('still the generated stub') });
  });

  it('refuses an unknown argument', () => {
    expect(run(['--fix'], root)).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown argument --fix') });
  });
});
