import { describe, expect, it } from 'vitest';
import { renderMarkdown, GITHUB_COMMENT_LIMIT } from '../../cli/format/markdown.js';
import { renderTable } from '../../cli/format/table.js';
import { paletteFor } from '../../cli/format/colour.js';
import { reportHeader, type CheckReport, type ReportFinding, type ReportVm } from '../../cli/checkReport.js';
import { getEdition } from '../../core/matrix/editions/index.js';
import { cleanInventory } from '../helpers/cleanVm.js';
import { cli, tempFiles } from '../helpers/runCliInProcess.js';

const ANSI = /\u001b\[[0-9;]*m/g;

function brokenFleet(): string {
  const doc = cleanInventory();
  doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
  doc.policies[0].properties.timeZone = 'Pacific Standard Time';
  return tempFiles({ 'fleet.json': doc });
}

describe('the table wraps to the terminal width', () => {
  for (const columns of [60, 80, 100, 160]) {
    it(`${columns} columns: no line is wider, colours or not, and no word is lost`, async () => {
      const run = await cli(['check', brokenFleet()], { tty: true });
      const narrow = await cli(['check', brokenFleet()], { tty: true, columns });
      const lines = narrow.stdout.replace(ANSI, '').split('\n');
      // The summary line is one sentence a person reads whole; everything else fits.
      const body = lines.slice(0, -2);
      expect(body.filter((l) => [...l].length > columns)).toEqual([]);
      const words = (text: string) => text.replace(ANSI, '').split(/\s+/).filter(Boolean).sort();
      expect(words(narrow.stdout)).toEqual(words(run.stdout));
    });
  }

  it('without a terminal the width comes from COLUMNS (the control: a long message does wrap)', async () => {
    const wide = (await cli(['check', brokenFleet()], { env: { COLUMNS: '400' } })).stdout.split('\n');
    const narrow = (await cli(['check', brokenFleet()], { env: { COLUMNS: '70' } })).stdout.split('\n');
    expect(Math.max(...wide.slice(0, -2).map((l) => l.length))).toBeGreaterThan(70);
    expect(narrow.length).toBeGreaterThan(wide.length);
  });
});

describe('--min-severity', () => {
  it('a VM whose findings are all hidden says how many, not "no findings"', async () => {
    const doc = cleanInventory();
    doc.policies[0].properties.timeZone = 'Pacific Standard Time';
    const dir = tempFiles({ 'a.json': doc });
    const table = await cli(['check', dir, '--min-severity', 'error']);
    expect(table.stdout).toMatch(/vm-app-01 .*: \d+ findings? below --min-severity/);
    expect(table.stdout).not.toContain('no findings');
    const markdown = await cli(['check', dir, '--min-severity', 'error', '--format', 'markdown']);
    expect(markdown.stdout).toMatch(/\d+ findings? below --min-severity\./);
    // The control: with nothing hidden, it still says "no findings".
    expect((await cli(['check', tempFiles({ 'a.json': cleanInventory() }), '--min-severity', 'error'])).stdout).not.toMatch(/below --min-severity/);
  });
});

/**
 * A fleet as large as the issue asks: 500 VMs with long names, failing six error rules each, in `patterns` different
 * combinations (a real fleet fails in a few patterns; `vms` patterns is the worst case).
 */
function bigReport(vms: number, patterns = 12): CheckReport {
  const errorRules = getEdition('2026-03').rules.filter((r) => r.severity === 'error' && r.retired === null);
  const list: ReportVm[] = Array.from({ length: vms }, (_, i) => {
    const id = `/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-workload-${i % 20}/providers/Microsoft.Compute/virtualMachines/vm-prod-westeurope-app-${String(i).padStart(4, '0')}`;
    const findings: ReportFinding[] = errorRules
      .slice((i % patterns) % Math.max(1, errorRules.length - 6), ((i % patterns) % Math.max(1, errorRules.length - 6)) + 6)
      .map((r) => ({
        findingId: 'f'.repeat(32),
        ruleId: r.rule.id,
        severity: 'error',
        outcome: 'fail',
        message: `A long message about ${r.rule.title}`,
        evidence: {},
        citation: r.citation,
        docs: `https://github.com/contoso/vm-backup-guard/blob/main/docs/rules/${r.rule.id}.md`,
      }));
    return {
      id,
      name: id.split('/').pop()!,
      findings,
      hidden: 3,
      exempted: [],
      restore: {
        createVm: { status: 'unavailable', reasons: ['x'] },
        restoreDisks: { status: 'available', reasons: [] },
        replaceDisks: { status: 'available', reasons: [] },
        fileRecovery: { status: 'available', reasons: [] },
      },
    };
  });
  return {
    ...reportHeader('2026-03'),
    vms: list,
    summary: {
      vms,
      vmsWithErrors: vms,
      failures: { error: vms * 6, warning: 0, info: 0 },
      unknown: 0,
      hidden: vms * 3,
      exempted: 0,
      failOn: 'error',
      failed: true,
    },
    inputErrors: [],
    warnings: [],
  };
}

describe('markdown --compact', () => {
  it('500 VMs with errors stay under GitHub’s 65,536-character comment limit; the full format would not (the control)', () => {
    const report = bigReport(500);
    const compact = renderMarkdown(report, { compact: true });
    expect(compact.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(renderMarkdown(report).length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    expect(compact).toMatch(/\| 6 \| 0 \| \d+: vm-prod-westeurope-app-0000, /);
    expect((compact.match(/vm-prod-westeurope-app-\d{4}/g) ?? []).length).toBe(500);
    expect(compact).toContain('[`compute.min-size`](https://github.com/contoso/vm-backup-guard/blob/main/docs/rules/compute.min-size.md)');
    expect(compact).not.toContain('more VMs with findings');
  });

  it('the worst case, every VM failing differently: cut and counted, still under the limit', () => {
    const compact = renderMarkdown(bigReport(2_000, 2_000), { compact: true });
    expect(compact.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(compact).toMatch(/…and \d+ more VMs with findings/);
  });

  it('--docs-base-url makes rule links absolute; --compact is refused for other formats', async () => {
    const run = await cli([
      'check',
      brokenFleet(),
      '--format',
      'markdown',
      '--docs-base-url',
      'https://github.com/contoso/vm-backup-guard/blob/main/docs/rules',
    ]);
    expect(run.stdout).toContain('[`compute.min-size`](https://github.com/contoso/vm-backup-guard/blob/main/docs/rules/compute.min-size.md)');
    const compact = await cli([
      'check',
      brokenFleet(),
      '--format',
      'markdown',
      '--compact',
      '--min-severity',
      'error',
      '--docs-base-url',
      'https://docs.example.com/r/',
    ]);
    expect(compact.stdout).toContain('(https://docs.example.com/r/compute.min-size.md)');
    expect((await cli(['check', brokenFleet(), '--compact'])).stderr).toContain('--compact applies to --format markdown only');
    expect((await cli(['check', brokenFleet(), '--docs-base-url', 'http://x'])).stderr).toContain('--docs-base-url must be an https:// URL');
  });
});

describe('diff-editions reads right in both directions', () => {
  it('going back, a retired rule is "active in" the older edition and a new rule is "added by" the newer', async () => {
    const back = (await cli(['diff-editions', '--from', '2026-03', '--to', '2019-02'])).stdout;
    expect(back).toMatch(/^Matrix 2026-03 → 2019-02 \(going back: what 2026-03 changed is undone\)/);
    expect(back).toMatch(/compute\.availability-zone\s+retired\s+error\s+active in 2019-02; 2026-03 retired it: /);
    expect(back).not.toMatch(/new in 2019-02|back in 2019-02/);
    const forward = (await cli(['diff-editions', '--from', '2019-02', '--to', '2026-03'])).stdout;
    expect(forward).toMatch(/compute\.availability-zone\s+error\s+retired\s+retired: /);
    expect(forward).not.toMatch(/going back/);
  });
});

describe('table rendering is pure', () => {
  it('renderTable takes the width (no terminal needed)', () => {
    const out = renderTable(bigReport(1), paletteFor({}, false), 50);
    expect(
      out
        .split('\n')
        .slice(0, -2)
        .every((l) => l.length <= 50),
    ).toBe(true);
  });
});
