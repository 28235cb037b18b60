import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanInventory, type Json } from '../helpers/cleanVm.js';
import { cli, tempFiles } from '../helpers/runCliInProcess.js';
import { findingIdOf } from '../../cli/checkReport.js';

function failingInventory(): Json {
  const doc = cleanInventory();
  doc.virtualMachines[0].zones = ['1'];
  doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
  return doc;
}

function warningOnlyInventory(): Json {
  const doc = cleanInventory();
  doc.virtualMachines[0].properties.availabilitySet = { id: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/availabilitySets/as' };
  return doc;
}

describe('check: exit codes', () => {
  it('0 for a clean VM, 1 for an error, and --fail-on moves the gate', async () => {
    const dir = tempFiles({ 'clean.json': cleanInventory(), 'bad.json': failingInventory(), 'warn.json': warningOnlyInventory() });
    expect((await cli(['check', join(dir, 'clean.json')])).code).toBe(0);
    expect((await cli(['check', join(dir, 'bad.json')])).code).toBe(1);
    expect((await cli(['check', join(dir, 'bad.json'), '--fail-on', 'never'])).code).toBe(0);
    expect((await cli(['check', join(dir, 'warn.json')])).code).toBe(0);
    expect((await cli(['check', join(dir, 'warn.json'), '--fail-on', 'warning'])).code).toBe(1);
  });

  it('unknown findings never fail a build by themselves', async () => {
    const doc = cleanInventory();
    doc.networkInterfaces = [];
    const dir = tempFiles({ 'unknown.json': doc });
    const run = await cli(['check', join(dir, 'unknown.json'), '--fail-on', 'info', '--format', 'json']);
    const report = JSON.parse(run.stdout);
    expect(report.summary.unknown).toBeGreaterThan(0);
    expect(run.code).toBe(0);
  });

  it('2 for bad input: names file and path on stderr, still reports the valid files', async () => {
    const dir = tempFiles({
      'a-good.json': failingInventory(),
      'b-broken.json': '{ "virtualMachines": [ ',
      'c-wrong.json': { id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v', type: 'Microsoft.Network/virtualNetworks' },
    });
    const run = await cli(['check', dir, '--format', 'json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: ${join(dir, 'b-broken.json')}: $: invalid JSON:`);
    expect(run.stderr).toContain(
      `error: ${join(dir, 'c-wrong.json')}: $: a resource of type Microsoft.Network/virtualNetworks (/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v), which no check reads`,
    );
    const report = JSON.parse(run.stdout);
    expect(report.vms.map((v: Json) => v.name)).toEqual(['vm-app-01']);
    expect(report.inputErrors).toHaveLength(2);
  });

  it('2 for usage errors, naming the option', async () => {
    const dir = tempFiles({ 'clean.json': cleanInventory() });
    const file = join(dir, 'clean.json');
    for (const [args, message] of [
      [['check', file, '--format', 'xml'], '--format must be one of table, json, markdown, sarif, junit, csv; got "xml"'],
      [['check', file, '--matrix', '2020-01'], '--matrix: unknown matrix edition "2020-01": choose one of 2019-02, 2026-03'],
      [['check', file, '--fail-on', 'fatal'], '--fail-on must be one of error, warning, info, never'],
      [['check', file, '--bogus'], "Unknown option '--bogus'"],
      [['check'], 'check needs at least one input file or directory'],
      [['frobnicate'], 'unknown command "frobnicate"'],
    ] as const) {
      const run = await cli([...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(message);
    }
    expect((await cli(['check', join(dir, 'missing.json')])).stderr).toContain('missing.json: $: cannot read: ENOENT');
  });

  it('MATRIX_EDITION selects the edition; --matrix wins over it', async () => {
    const dir = tempFiles({ 'bad.json': failingInventory() });
    const fromEnv = JSON.parse((await cli(['check', dir, '--format', 'json'], { env: { MATRIX_EDITION: '2019-02' } })).stdout);
    expect(fromEnv.matrix).toBe('2019-02');
    expect(fromEnv.vms[0].findings.map((f: Json) => f.ruleId)).toContain('compute.availability-zone');
    const fromFlag = JSON.parse((await cli(['check', dir, '--format', 'json', '--matrix', '2026-03'], { env: { MATRIX_EDITION: '2019-02' } })).stdout);
    expect(fromFlag.matrix).toBe('2026-03');
    expect(fromFlag.vms[0].findings.map((f: Json) => f.ruleId)).not.toContain('compute.availability-zone');
    expect((await cli(['check', dir], { env: { MATRIX_EDITION: 'latest' } })).stderr).toContain('MATRIX_EDITION: unknown matrix edition "latest"');
  });
});

describe('check: output', () => {
  it('json is one document on stdout with the documented shape', async () => {
    const dir = tempFiles({ 'bad.json': failingInventory() });
    const run = await cli(['check', dir, '--format', 'json', '--matrix', '2019-02']);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    expect(report.matrix).toBe('2019-02');
    const zone = report.vms[0].findings.find((f: Json) => f.ruleId === 'compute.availability-zone');
    expect(zone).toEqual({
      findingId: findingIdOf(report.vms[0].id, 'compute.availability-zone', '2019-02'),
      ruleId: 'compute.availability-zone',
      severity: 'error',
      outcome: 'fail',
      message: 'vm-app-01 is deployed in zone 1: backup of zonal VMs is not supported.',
      evidence: { zones: ['1'] },
      citation: { section: 'VM compute', row: '"Back up VMs in availability zones: not supported"' },
      docs: 'docs/rules/compute.availability-zone.md',
    });
    expect(report.vms[0].findings[0].severity).toBe('error');
    expect(Object.keys(report.vms[0].restore)).toEqual(['createVm', 'restoreDisks', 'replaceDisks', 'fileRecovery']);
    expect(report.summary).toEqual({
      vms: 1,
      vmsWithErrors: 1,
      failures: { error: 2, warning: 0, info: 0 },
      unknown: 0,
      hidden: 0,
      exempted: 0,
      failOn: 'error',
      failed: true,
    });
  });

  it('--min-severity hides lower findings but they still count for the gate', async () => {
    const doc = failingInventory();
    doc.policies[0].properties.timeZone = 'Pacific Standard Time';
    const dir = tempFiles({ 'bad.json': doc });
    const run = await cli(['check', dir, '--format', 'json', '--min-severity', 'error', '--fail-on', 'info']);
    const report = JSON.parse(run.stdout);
    expect(report.vms[0].findings.every((f: Json) => f.severity === 'error')).toBe(true);
    expect(report.summary.hidden).toBe(1);
    expect(run.code).toBe(1);
  });

  it('table: worst VM first, colours only on a terminal without NO_COLOR, a summary line last', async () => {
    const clean = cleanInventory();
    clean.virtualMachines[0].name = 'aaa-clean';
    const dir = tempFiles({
      'a.json': clean,
      'b.json': {
        value: [{ ...failingInventory().virtualMachines[0], id: failingInventory().virtualMachines[0].id.replace('vm-app-01', 'zzz-bad'), name: 'zzz-bad' }],
      },
    });
    const plain = await cli(['check', dir]);
    expect(plain.stdout.indexOf('zzz-bad')).toBeLessThan(plain.stdout.indexOf('aaa-clean'));
    expect(plain.stdout).not.toMatch(/\u001b\[/);
    expect(plain.stdout.trimEnd().split('\n').pop()).toMatch(/^2 VMs checked against matrix 2026-03: 1 error, 0 warnings, .*FAILED \(--fail-on error\)\.$/);
    expect((await cli(['check', dir], { tty: true })).stdout).toMatch(/\u001b\[31m/);
    expect((await cli(['check', dir], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(/\u001b\[/);
  });

  it('markdown: a findings table per VM with links to the rule pages', async () => {
    const dir = tempFiles({ 'bad.json': failingInventory() });
    const run = await cli(['check', dir, '--format', 'markdown']);
    expect(run.stdout).toContain('| Severity | Rule | Finding | Matrix row |');
    expect(run.stdout).toContain('[`compute.min-size`](docs/rules/compute.min-size.md)');
  });

  it('warns on stderr about a duplicate VM and evaluates it once', async () => {
    const dir = tempFiles({ 'a.json': cleanInventory(), 'b.json': [cleanInventory().virtualMachines[0]] });
    const run = await cli(['check', dir, '--format', 'json']);
    expect(run.stderr).toMatch(/^warning: duplicate VM .*vm-app-01 in .*b\.json \(first seen in .*a\.json\): evaluated once/m);
    expect(JSON.parse(run.stdout).vms).toHaveLength(1);
  });
});
