import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { listEditions } from '../../core/matrix/editions/index.js';
import { ALL_RULES } from '../../core/matrix/rules/index.js';

/**
 * A rule's citation has one source, the edition files; the doc pages' front matter (`citation:`) and the citation
 * table of docs/matrix-coverage.md are generated from it. `UPDATE_CITATIONS=1 npx vitest run test/editions.test.ts`
 * rewrites them; the test fails whenever they and the code differ.
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
export const COVERAGE = here('../../docs/matrix-coverage.md');
export const rulePage = (id: string) => here(`../../docs/rules/${id}.md`);
export const BEGIN = '<!-- citations:begin (generated from core/matrix/editions; do not edit) -->';
export const END = '<!-- citations:end -->';

/** Every edition's citation text of a rule, in edition order; editions whose matrix lacks the row are left out. */
export function citationsOf(ruleId: string): [string, string][] {
  return listEditions().flatMap((e) => {
    const rule = e.rules.find((r) => r.rule.id === ruleId);
    if (!rule || rule.absent !== null) return [];
    const { section, row } = rule.citation;
    return [[e.id, row ? `${section} › ${row}` : section] as [string, string]];
  });
}

export function frontMatterLine(ruleId: string): string {
  return `citation: { ${citationsOf(ruleId).map(([e, text]) => `${JSON.stringify(e)}: ${JSON.stringify(text)}`).join(', ')} }`;
}

export function coverageBlock(): string {
  const editions = listEditions().map((e) => e.id);
  const cell = (text: string | undefined) => (text ?? '—').replace(/\|/g, '\\|');
  const rows = ALL_RULES.map((rule) => {
    const byEdition = new Map(citationsOf(rule.id));
    return `| [${rule.id}](rules/${rule.id}.md) | ${editions.map((e) => cell(byEdition.get(e))).join(' | ')} |`;
  });
  return [BEGIN, `| Rule | ${editions.join(' | ')} |`, `|---|${editions.map(() => '---|').join('')}`, ...rows, END].join('\n');
}

/** The page with its `citation:` front matter line as generated (inserted after `matrix:` when missing). */
export function pageWithCitation(ruleId: string, page: string): string {
  const line = frontMatterLine(ruleId);
  if (/^citation: .*$/m.test(page)) return page.replace(/^citation: .*$/m, line);
  return page.replace(/^(matrix: .*)$/m, `$1\n${line}`);
}

export function coverageWithBlock(coverage: string): string {
  const start = coverage.indexOf(BEGIN);
  const end = coverage.indexOf(END);
  if (start >= 0 && end > start) return coverage.slice(0, start) + coverageBlock() + coverage.slice(end + END.length);
  return `${coverage.trimEnd()}\n\n## Citations by edition\nThe matrix text each rule cites, per edition, exactly as the code and the rule's page cite it.\n\n${coverageBlock()}\n`;
}

export function updateCitationDocs(): void {
  for (const rule of ALL_RULES) {
    const page = readFileSync(rulePage(rule.id), 'utf8');
    writeFileSync(rulePage(rule.id), pageWithCitation(rule.id, page));
  }
  writeFileSync(COVERAGE, coverageWithBlock(readFileSync(COVERAGE, 'utf8')));
}
