import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diffEditions } from '../core/matrix/editions/diffEditions.js';
import { DEFAULT_EDITION_ID, EDITION_DEFINITIONS, getEdition, listEditions } from '../core/matrix/editions/index.js';
import { ALL_RULES } from '../core/matrix/rules/index.js';
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

/** The table lines of a spec that start with a rule id, counted without parsing them: what specRows must read. */
const ruleLinesOf = (text: string) => text.split('\n').filter((line) => line.startsWith('| `')).length;

const rows2019 = specRows(spec2019);
const rows2026 = specRows(spec2026);
const retiredSection2026 = /## Retired in this edition[^\n]*\n([\s\S]*?)\n## /.exec(spec2026)?.[1] ?? '';
const retired2026 = [...retiredSection2026.matchAll(/`([a-z]+\.[a-z0-9-]+)`/g)].map((m) => m[1]!);
/** Severities of the 2026-03 spec that issue 12 supersedes: a lock reaching the restore point collections is an error again. */
const supersededSeverity2026: Record<string, string> = { 'locks.resource-group': 'error' };
/** Rules of the catalogue that no spec names: rows of the current page the specs left out (issues 12 and 14), new in 2026-03. */
const specIds = new Set([...rows2019.keys(), ...rows2026.keys(), ...retired2026]);
const beyondSpec = ALL_RULES.map((r) => r.id).filter((id) => !specIds.has(id));
/** What the 2026-03 edition file states itself (its delta on 2019-02), as opposed to what it inherits. */
const delta2026 = Object.keys(EDITION_DEFINITIONS.find((e) => e.id === '2026-03')!.rules);

describe('the specs, the code, the docs and the tests agree', () => {
  it('reads every rule row of both specs and every retirement of the 2026-03 spec', () => {
    expect(rows2019.size).toBe(ruleLinesOf(spec2019));
    expect(rows2026.size).toBe(ruleLinesOf(spec2026));
    // Each retirement is one `rule.id` followed by its reason in parentheses.
    expect(retired2026).toHaveLength(retiredSection2026.match(/`\s*\(/g)?.length ?? 0);
    expect(retired2026.length).toBeGreaterThan(0);
  });

  it('edition 2019-02 has exactly the spec rules, with the spec severities', () => {
    const edition = getEdition('2019-02');
    const present = edition.rules.filter((r) => r.absent === null);
    expect(Object.fromEntries(present.map((r) => [r.rule.id, r.severity]))).toEqual(Object.fromEntries(rows2019));
    expect(edition.rules.every((r) => r.retired === null)).toBe(true);
    // A rule the seed lists as absent is a row it does not have and a later matrix added: it answers notApplicable here.
    const current = new Map(getEdition('2026-03').rules.map((r) => [r.rule.id, r]));
    for (const { rule } of edition.rules.filter((r) => r.absent !== null)) {
      expect(rows2019.has(rule.id), rule.id).toBe(false);
      expect(current.get(rule.id), rule.id).toMatchObject({ absent: null, retired: null });
    }
  });

  it('edition 2026-03 applies the delta: changed severities, retired rules, new rules', () => {
    const edition = getEdition('2026-03');
    const byId = new Map(edition.rules.map((r) => [r.rule.id, r]));
    // The current matrix has a row for every rule of the catalogue (a rule no edition evaluates would be dead code).
    expect(edition.rules.map((r) => r.rule.id).sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
    expect(edition.rules.filter((r) => r.absent !== null)).toEqual([]);
    for (const id of beyondSpec) {
      expect(byId.get(id), id).toMatchObject({ retired: null, absent: null, change: expect.stringMatching(/^new in 2026-03/) });
    }
    for (const id of retired2026) expect(byId.get(id)?.retired, id).toEqual(expect.any(String));
    for (const [id, severity] of rows2026) {
      // policy.enhanced-required's severity cell grades the case; its base severity is the protected case's.
      const expected = severity.startsWith('error if protected') ? 'error' : severity;
      expect(byId.get(id)?.severity, id).toBe(supersededSeverity2026[id] ?? expected);
      expect(byId.get(id)?.retired, id).toBeNull();
    }
    for (const [id, severity] of rows2019) if (!rows2026.has(id) && !retired2026.includes(id)) expect(byId.get(id)?.severity, id).toBe(severity);
  });

  it('every rule of both specs has code, and every rule has a doc page and tests', () => {
    const ids = ALL_RULES.map((r) => r.id);
    for (const id of specIds) expect(ids, id).toContain(id);
    const testText = readdirSync(here('rules'))
      .map((f) => readFileSync(here(`rules/${f}`), 'utf8'))
      .join('\n');
    for (const id of ids) {
      const page = here(`../docs/rules/${id}.md`);
      expect(existsSync(page), `docs/rules/${id}.md`).toBe(true);
      expect(readFileSync(page, 'utf8')).toMatch(new RegExp(`^---\\nid: ${id.replace('.', '\\.')}\\n`));
      expect(testText, `a test in test/rules names ${id}`).toContain(`'${id}'`);
    }
  });

  it('docs/matrix-coverage.md maps a matrix row to every rule', () => {
    const coverage = readFileSync(here('../docs/matrix-coverage.md'), 'utf8');
    // In the rows people wrote: the generated citation table at the end links every rule whatever the rows say.
    const rows = coverage.slice(0, coverage.indexOf('## Citations by edition'));
    for (const rule of ALL_RULES) expect(rows, rule.id).toContain(`rules/${rule.id}.md`);
  });

  it('docs/matrix-coverage.md maps the current rows the 2026-03 spec left out, and rewords the three rows still in 2019 wording', () => {
    const coverage = readFileSync(here('../docs/matrix-coverage.md'), 'utf8');
    // Whitespace-insensitive, so rewrapping the page does not break the check.
    const current = coverage.slice(coverage.indexOf('## Edition 2026-03')).replace(/\s+/g, ' ');
    for (const row of [
      'Cross Subscription Restore is unsupported for',
      'You must manually reapply CMK encryption',
      'More than 40 disks are attached to one DES',
      'need internet connectivity for a successful backup',
      'Soft Delete for backups',
      'managed pre and post scripts for Linux databases',
      'Cluster Shared Volumes (CSV) or Scale-Out File Server',
      'CVM v2 opt-out feature flag',
      'nine attempts in a 24 hour UTC period',
      'Restore files on VMs by using Windows Storage Spaces | "Not supported."',
      'Restore a domain controller VM | "Supported."',
    ]) {
      expect(current, row).toContain(row);
    }
  });

  it('compute.scale-set cites, in 2026-03, the row the current page has', () => {
    const row = getEdition('2026-03').rules.find((r) => r.rule.id === 'compute.scale-set')!.citation;
    expect(row).toEqual({
      section: 'VM compute support',
      row: 'Restore Virtual Machine Scale Sets: "Supported for the flexible orchestration model to back up and restore a single Azure VM."',
    });
  });

  it('docs/matrix-coverage.md leaves no row "decidable from ARM data, but not in the spec" without a rule', () => {
    const coverage = readFileSync(here('../docs/matrix-coverage.md'), 'utf8');
    expect(coverage).not.toContain('Decidable from ARM data, but not in the spec');
    // The citation table at the end links every rule: look in the edition's own section, before it.
    const section2026 = coverage.slice(coverage.indexOf('## Edition 2026-03'), coverage.indexOf('## Citations by edition'));
    for (const id of beyondSpec) expect(section2026, id).toContain(`rules/${id}.md`);
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
    expect(byId.get('locks.resource-group')).toMatchObject({
      from: 'error',
      to: 'error',
      change: expect.stringContaining("a lock only on the VM's own group is now a warning"),
    });
    expect(byId.get('compute.availability-zone')).toMatchObject({
      from: 'error',
      to: 'retired',
      change: 'retired: zonal VMs and cross-zonal restore are supported',
    });
    expect(byId.get('storage.shared-disk')).toEqual({
      ruleId: 'storage.shared-disk',
      from: '—',
      to: 'error',
      change: 'new in 2026-03; passes when every shared disk is excluded from the backup under an Enhanced policy',
    });
    expect(byId.has('compute.min-size')).toBe(false);
    // Exactly the rules the 2026-03 file states: the rest it inherits unchanged.
    expect(diff.rules.map((r) => r.ruleId).sort()).toEqual([...delta2026].sort());
    expect(byId.get('compute.spot-vm')).toEqual({
      ruleId: 'compute.spot-vm',
      from: '—',
      to: 'warning',
      change: 'new in 2026-03: Spot VMs are restored as regular VMs',
    });
    expect(diff.parameters.find((p) => p.name === 'maxDataDisks')).toEqual({ name: 'maxDataDisks', from: '16', to: '32' });
  });

  it("shows the audit's Linux, agentless and Confidential VM changes with their reasons", async () => {
    const diff = diffEditions(getEdition('2019-02'), getEdition('2026-03'));
    const byId = new Map(diff.rules.map((r) => [r.ruleId, r]));
    for (const id of [
      'agent.provisioned',
      'agent.ready',
      'os.linux-unsupported',
      'os.linux-endorsed',
      'consistency.linux-file-consistent',
      'os.windows-client',
      'os.windows-server-version',
    ]) {
      expect(byId.get(id)?.change, id).toContain(
        'notApplicable when the policy takes agentless crash-consistent backups (snapshotConsistencyType OnlyCrashConsistent)',
      );
    }
    expect(byId.get('os.linux-endorsed')).toMatchObject({
      from: 'warning',
      to: 'warning',
      change: expect.stringContaining('AlmaLinux, Debian, Flatcar, Oracle Linux, RHEL, Rocky Linux, SLES, Ubuntu (CentOS is no longer on it)'),
    });
    expect(byId.get('security.confidential-vm')?.change).toMatch(
      /OS disk encryption \(securityEncryptionType DiskWithVMGuestState\); platform- and customer-managed keys are both supported/,
    );
    for (const id of beyondSpec.filter((i) => i.startsWith('agentless.')))
      expect(byId.get(id)).toMatchObject({ from: '—', to: 'error', change: expect.stringMatching(/^new in 2026-03: agentless/) });
    expect(diff.parameters.find((p) => p.name === 'endorsedLinux')).toMatchObject({
      to: expect.stringContaining('almalinux'),
      change: expect.stringContaining('CentOS is no longer endorsed'),
    });
    expect(diff.parameters.find((p) => p.name === 'agentless')).toMatchObject({ from: 'none', change: expect.stringContaining('operating system agnostic') });
    const table = await cli(['diff-editions']);
    expect(table.stdout).toMatch(
      /agentless\.azure-boost-size\s+—\s+error\s+new in 2026-03: agentless crash-consistent backup does not support Azure Boost sizes/,
    );
  });

  it("shows the audit's lock, recovery point, shared disk and restore changes with their reasons", async () => {
    const diff = diffEditions(getEdition('2019-02'), getEdition('2026-03'));
    const byId = new Map(diff.rules.map((r) => [r.ruleId, r]));
    expect(byId.get('policy.recovery-points')).toMatchObject({
      from: 'error',
      to: 'error',
      change: expect.stringContaining('"the last backup of the day is transferred to a vault"'),
    });
    expect(byId.get('locks.resource-group')?.change).toContain('AzureBackupRG_<region>_<n>');
    const restore = diff.parameters.find((p) => p.name === 'restore')!;
    expect(restore.change).toContain('Cross Region Restore is currently unsupported');
    expect(restore.change).toContain('GRS vaults and Cross-Region Restore are currently supported in the following regions');
    expect(restore.to).toContain('"UltraSSD_LRS":["southcentralus"');
    expect(diff.parameters.find((p) => p.name === 'vmGroupLock')).toMatchObject({
      from: 'rule',
      to: 'warning',
      change: expect.stringContaining('Supported for managed VMs'),
    });
    const table = (await cli(['diff-editions'])).stdout;
    expect(table).toMatch(/policy\.recovery-points\s+error\s+error\s+Enhanced hourly policies/);
    expect(table).toMatch(/ {2}vmGroupLock: rule → warning\n {4}why: only a lock reaching the restore point collections/);
    const reverse = diffEditions(getEdition('2026-03'), getEdition('2019-02'));
    expect(reverse.parameters.find((p) => p.name === 'restore')?.change).toContain('Cross Region Restore is currently unsupported');
  });

  it('prints a table by default and JSON on request; editions lists both', async () => {
    const table = await cli(['diff-editions']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^Matrix 2019-02 → 2026-03: ${delta2026.length} rules changed`));
    expect(table.stdout).toMatch(/storage\.write-accelerator\s+error\s+retired\s+retired: supported since 2022-05/);
    const json = JSON.parse((await cli(['diff-editions', '--from', '2026-03', '--to', '2019-02', '--format', 'json'])).stdout);
    expect(json.from).toBe('2026-03');
    expect((await cli(['diff-editions', '--from', '2019-02', '--to', '2019-02'])).code).toBe(2);
    const editions = await cli(['editions']);
    expect(editions.stdout).toContain('2026-03 (default)');
    expect(editions.stdout).toContain(`2019-02  Support matrix for Azure VM backup, 2019-02-17 (the seed)\n  ${rows2019.size} rules, 0 retired`);
  });
});
