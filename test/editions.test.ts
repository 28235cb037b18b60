import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diffEditions } from '../cli/editionsCommands.js';
import { DEFAULT_EDITION_ID, getEdition, listEditions } from '../shared/matrix/editions/index.js';
import { ALL_RULES } from '../shared/matrix/rules/index.js';
import { cli } from './helpers/runCliInProcess.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const spec2019 = readFileSync(here('fixtures/spec/matrix-2019-02.md'), 'utf8');
const spec2026 = readFileSync(here('fixtures/spec/matrix-2026-03.md'), 'utf8');

/** `| \`rule.id\` | severity | ...` rows of the spec's rule tables. */
function specRows(text: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const m of text.matchAll(/^\| `([a-z]+\.[a-z0-9-]+)` \| ([^|]+?) \|/gm)) rows.set(m[1]!, m[2]!.trim());
  return rows;
}

const rows2019 = specRows(spec2019);
const rows2026 = specRows(spec2026);
const retired2026 = [...(/## Retired in this edition[^\n]*\n([\s\S]*?)\n## /.exec(spec2026)?.[1] ?? '').matchAll(/`([a-z]+\.[a-z0-9-]+)`/g)].map((m) => m[1]!);

describe('the specs, the code, the docs and the tests agree', () => {
  it('reads 31 rules from the 2019-02 spec and 16 changes, 6 retirements from the 2026-03 spec', () => {
    expect(rows2019.size).toBe(31);
    expect(rows2026.size).toBe(16);
    expect(retired2026).toHaveLength(6);
  });

  it('edition 2019-02 has exactly the spec rules, with the spec severities', () => {
    const edition = getEdition('2019-02');
    expect(Object.fromEntries(edition.rules.map((r) => [r.rule.id, r.severity]))).toEqual(Object.fromEntries(rows2019));
    expect(edition.rules.every((r) => r.retired === null)).toBe(true);
  });

  it('edition 2026-03 applies the delta: changed severities, retired rules, new rules', () => {
    const edition = getEdition('2026-03');
    const byId = new Map(edition.rules.map((r) => [r.rule.id, r]));
    expect(edition.rules).toHaveLength(37);
    for (const id of retired2026) expect(byId.get(id)?.retired, id).toEqual(expect.any(String));
    for (const [id, severity] of rows2026) {
      // policy.enhanced-required's severity cell grades the case; its base severity is the protected case's.
      const expected = severity.startsWith('error if protected') ? 'error' : severity;
      expect(byId.get(id)?.severity, id).toBe(expected);
      expect(byId.get(id)?.retired, id).toBeNull();
    }
    for (const [id, severity] of rows2019) if (!rows2026.has(id) && !retired2026.includes(id)) expect(byId.get(id)?.severity, id).toBe(severity);
  });

  it('every rule of both specs has code, a doc page and tests', () => {
    const ids = new Set([...rows2019.keys(), ...rows2026.keys()]);
    expect([...ids].sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
    const testText = readdirSync(here('rules')).map((f) => readFileSync(here(`rules/${f}`), 'utf8')).join('\n');
    for (const id of ids) {
      const page = here(`../docs/rules/${id}.md`);
      expect(existsSync(page), `docs/rules/${id}.md`).toBe(true);
      expect(readFileSync(page, 'utf8')).toMatch(new RegExp(`^---\\nid: ${id.replace('.', '\\.')}\\n`));
      expect(testText, `a test in test/rules names ${id}`).toContain(`'${id}'`);
    }
  });

  it("each doc page's front matter states the severity every edition gives the rule", () => {
    for (const edition of listEditions()) {
      for (const { rule, severity, retired } of edition.rules) {
        const page = readFileSync(here(`../docs/rules/${rule.id}.md`), 'utf8');
        const front = /severity: \{([^}]*)\}/.exec(page)?.[1] ?? '';
        expect(front, `${rule.id} in ${edition.id}`).toContain(`"${edition.id}": ${retired === null ? severity : 'retired'}`);
      }
    }
  });

  it('docs/matrix-coverage.md maps a matrix row to every rule', () => {
    const coverage = readFileSync(here('../docs/matrix-coverage.md'), 'utf8');
    for (const rule of ALL_RULES) expect(coverage, rule.id).toContain(`rules/${rule.id}.md`);
  });

  it('the default edition is the newest shipped', () => {
    expect(DEFAULT_EDITION_ID).toBe(listEditions().at(-1)!.id);
  });
});

describe('diff-editions', () => {
  it('lists, rule by rule, what changed from 2019-02 to 2026-03', () => {
    const diff = diffEditions(getEdition('2019-02'), getEdition('2026-03'));
    const byId = new Map(diff.rules.map((r) => [r.ruleId, r]));
    expect(byId.get('storage.data-disk-count')).toEqual({ ruleId: 'storage.data-disk-count', from: 'error', to: 'error', change: '16 → 32 data disks' });
    expect(byId.get('locks.resource-group')).toMatchObject({ from: 'error', to: 'warning' });
    expect(byId.get('compute.availability-zone')).toMatchObject({ from: 'error', to: 'retired', change: 'retired: zonal VMs and cross-zonal restore are supported' });
    expect(byId.get('storage.shared-disk')).toEqual({ ruleId: 'storage.shared-disk', from: '—', to: 'error', change: 'new in 2026-03' });
    expect(byId.has('compute.min-size')).toBe(false);
    expect(diff.rules).toHaveLength(22);
    expect(diff.parameters.find((p) => p.name === 'maxDataDisks')).toEqual({ name: 'maxDataDisks', from: '16', to: '32' });
  });

  it('prints a table by default and JSON on request; editions lists both', async () => {
    const table = await cli(['diff-editions']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Matrix 2019-02 → 2026-03: 22 rules changed/);
    expect(table.stdout).toMatch(/storage\.write-accelerator\s+error\s+retired\s+retired: supported since 2022-05/);
    const json = JSON.parse((await cli(['diff-editions', '--from', '2026-03', '--to', '2019-02', '--format', 'json'])).stdout);
    expect(json.from).toBe('2026-03');
    expect((await cli(['diff-editions', '--from', '2019-02', '--to', '2019-02'])).code).toBe(2);
    const editions = await cli(['editions']);
    expect(editions.stdout).toContain('2026-03 (default)');
    expect(editions.stdout).toContain('2019-02  Support matrix for Azure VM backup, 2019-02-17 (the seed)\n  31 rules, 0 retired');
  });
});
