import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { findingIdOf } from '../../cli/checkReport.js';
import { getEdition } from '../../core/matrix/editions/index.js';
import { cleanInventory, type Json } from '../helpers/cleanVm.js';
import { cli, tempFiles } from '../helpers/runCliInProcess.js';

/** compute.min-size (error), policy.daylight-saving (info), and a message with a comma, a quote and a newline. */
function brokenFleet(): string {
  const doc = cleanInventory();
  doc.virtualMachines[0].properties.hardwareProfile.vmSize = 'Standard_B1s';
  doc.policies[0].properties.timeZone = 'Pacific Standard Time';
  return tempFiles({ 'fleet.json': doc });
}

// The official SARIF 2.1.0 schema, vendored from @microsoft/sarif-multitool-linux (see docs/ci.md for why).
const sarifSchema = JSON.parse(readFileSync(new URL('../fixtures/sarif-2.1.0.schema.json', import.meta.url), 'utf8')) as object;
const validateSarif = new Ajv2020({ allErrors: true, strict: false }).compile(sarifSchema);

describe('--format sarif', () => {
  it('validates against the official SARIF 2.1.0 schema; a bad level does not (the control)', async () => {
    const run = await cli(['check', brokenFleet(), '--format', 'sarif']);
    const sarif = JSON.parse(run.stdout);
    expect(validateSarif(sarif), JSON.stringify(validateSarif.errors)).toBe(true);
    sarif.runs[0].results[0].level = 'fatal';
    expect(validateSarif(sarif)).toBe(false);
  });

  it('one descriptor per rule of the edition, with descriptions, default level and helpUri; results located by VM id and file', async () => {
    const dir = brokenFleet();
    const sarif = JSON.parse((await cli(['check', dir, '--format', 'sarif', '--docs-base-url', 'https://docs.example.com/rules'])).stdout);
    const { rules } = sarif.runs[0].tool.driver;
    expect(rules.map((r: Json) => r.id)).toEqual(getEdition('2026-03').rules.map((r) => r.rule.id));
    const minSize = rules.find((r: Json) => r.id === 'compute.min-size');
    expect(minSize).toMatchObject({
      name: 'ComputeMinSize',
      shortDescription: { text: 'VM size of at least 2 vCPUs and 1 GB memory' },
      helpUri: 'https://docs.example.com/rules/compute.min-size.md',
      defaultConfiguration: { level: 'error' },
    });
    expect(minSize.fullDescription.text).toMatch(/Azure VM backup support matrix: /);
    const results = sarif.runs[0].results as Json[];
    const error = results.find((r) => r.ruleId === 'compute.min-size')!;
    const vmId = error.locations[0].logicalLocations[0].fullyQualifiedName;
    expect(error).toMatchObject({ level: 'error', kind: 'fail', ruleIndex: rules.indexOf(minSize) });
    expect(vmId).toMatch(/\/providers\/Microsoft\.Compute\/virtualMachines\/vm-app-01$/);
    expect(error.locations[0].physicalLocation.artifactLocation.uri).toBe(relative(process.cwd(), join(dir, 'fleet.json')).split('\\').join('/'));
    expect(results.find((r) => r.ruleId === 'policy.daylight-saving')!.level).toBe('note');
    expect(error.partialFingerprints).toEqual({ 'vmBackupGuardFindingId/v1': findingIdOf(vmId, 'compute.min-size', '2026-03') });
  });

  it('fingerprints are stable across runs and machines: the same input gives the same ones', async () => {
    const fingerprints = async () =>
      (JSON.parse((await cli(['check', brokenFleet(), '--format', 'sarif'])).stdout).runs[0].results as Json[]).map((r) => r.partialFingerprints);
    expect(await fingerprints()).toEqual(await fingerprints());
    expect(findingIdOf('/subscriptions/A/x', 'r', '2026-03')).toBe(findingIdOf('/subscriptions/a/X', 'r', '2026-03'));
    expect(findingIdOf('/subscriptions/a/x', 'r', '2026-03')).not.toBe(findingIdOf('/subscriptions/a/x', 'r', '2019-02'));
  });

  // The Multitool (a devDependency, ~100 MB, a self-contained binary) is found in node_modules, or at SARIF_MULTITOOL.
  // Without it (an install that left it out) this test says so and is skipped.
  const multitool =
    process.env.SARIF_MULTITOOL ??
    (() => {
      try {
        const bin = join(createRequire(import.meta.url).resolve('@microsoft/sarif-multitool-linux/package.json'), '..', 'Sarif.Multitool');
        return existsSync(bin) ? bin : undefined;
      } catch {
        return undefined;
      }
    })();
  it.skipIf(!multitool)('Sarif.Multitool validate: no error, and no warning of the GitHub ingestion rules', async () => {
    const dir = brokenFleet();
    const out = join(dir, 'out.sarif');
    await cli(['check', dir, '--format', 'sarif', '--output', out, '--docs-base-url', 'https://docs.example.com/rules/']);
    const blocking = (file: string) => {
      const log = `${file}.validation.sarif`;
      execFileSync(multitool!, ['validate', file, '--output', log, '--log', 'ForceOverwrite', '--rule-kind', 'Sarif;Gh', '--level', 'Error;Warning'], {
        stdio: 'pipe',
      });
      const found = (JSON.parse(readFileSync(log, 'utf8')).runs[0].results as Json[]).map((r) => `${r.level} ${r.ruleId}`);
      return found.filter((f) => f.startsWith('error') || /^warning GH/.test(f));
    };
    expect(blocking(out)).toEqual([]);
    // The control: a relative helpUri is an error to the Multitool (SARIF1005), and this check sees it.
    const broken = JSON.parse(readFileSync(out, 'utf8'));
    broken.runs[0].tool.driver.rules[0].helpUri = 'docs/rules/x.md';
    writeFileSync(join(dir, 'broken.sarif'), JSON.stringify(broken));
    expect(blocking(join(dir, 'broken.sarif'))).toContain('error SARIF1005');
  });
});

describe('--format junit', () => {
  it('one suite per VM, one case per rule: fail is a failure, unknown and notApplicable are skipped', async () => {
    const run = await cli(['check', brokenFleet(), '--format', 'junit']);
    const xml = new JSDOM(run.stdout, { contentType: 'text/xml' }).window.document;
    const suites = xml.querySelectorAll('testsuite');
    expect(suites).toHaveLength(1);
    const cases = [...suites[0]!.querySelectorAll('testcase')];
    expect(cases.map((c) => c.getAttribute('name'))).toEqual(getEdition('2026-03').rules.map((r) => r.rule.id));
    const failed = cases.filter((c) => c.querySelector('failure')).map((c) => c.getAttribute('name'));
    expect(failed).toEqual(expect.arrayContaining(['compute.min-size', 'policy.daylight-saving']));
    const skipped = cases.filter((c) => c.querySelector('skipped'));
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((c) => /^(cannot be checked|not applicable): /.test(c.querySelector('skipped')!.getAttribute('message')!))).toBe(true);
    expect(suites[0]!.getAttribute('failures')).toBe(String(failed.length));
    expect(xml.querySelector('testsuites')!.getAttribute('tests')).toBe(String(cases.length));
    expect(run.code).toBe(1);
  });

  it('a fail below --min-severity is skipped with the reason; a malformed document would not parse (the control)', async () => {
    const run = await cli(['check', brokenFleet(), '--format', 'junit', '--min-severity', 'error']);
    expect(run.stdout).toMatch(/<skipped message="info finding below --min-severity: /);
    expect(() => new JSDOM('<testsuites><testsuite></testsuites>', { contentType: 'text/xml' })).toThrow();
  });
});

/** RFC 4180, strictly: quoted fields may hold commas, CRLF and doubled quotes; records end in CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      while (!(text[i] === '"' && text[i + 1] !== '"')) {
        if (i >= text.length) throw new Error('unterminated quote');
        field += text[i] === '"' ? (i++, '"') : text[i];
        i++;
      }
      i++;
    } else while (i < text.length && text[i] !== ',' && text[i] !== '\r') field += text[i++];
    row.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else throw new Error(`unexpected character at ${i}`);
  }
  return rows;
}

describe('--format csv', () => {
  it('one finding per row, RFC 4180: quotes, commas and line breaks survive the round trip', async () => {
    const run = await cli(['check', brokenFleet(), '--format', 'csv']);
    const rows = parseCsv(run.stdout);
    expect(rows[0]).toEqual(['findingId', 'vmName', 'vmId', 'ruleId', 'severity', 'outcome', 'message', 'matrixSection', 'matrixRow', 'docs', 'source']);
    const report = JSON.parse((await cli(['check', brokenFleet(), '--format', 'json'])).stdout);
    const findings = report.vms.flatMap((vm: Json) => vm.findings);
    expect(rows.slice(1).map((r) => [r[0], r[6], r[8]])).toEqual(findings.map((f: Json) => [f.findingId, f.message, f.citation.row]));
    // Matrix rows quote the page ("…"): the doubled quotes must come back single.
    expect(run.stdout).toContain('""');
    expect(() => parseCsv('a,"b\r\n')).toThrow();
  });
});

describe('--output', () => {
  it('writes every format to the file, nothing to stdout, and says where on stderr', async () => {
    const dir = brokenFleet();
    for (const format of ['table', 'json', 'markdown', 'sarif', 'junit', 'csv']) {
      const file = join(dir, `report.${format}`);
      const run = await cli(['check', join(dir, 'fleet.json'), '--format', format, '--output', file], { tty: true });
      expect(run.stdout, format).toBe('');
      expect(run.stderr).toBe(`wrote the ${format} report to ${file}\n`);
      const text = readFileSync(file, 'utf8');
      expect(text.length, format).toBeGreaterThan(100);
      expect(text, `${format}: a file gets no colour codes`).not.toMatch(/\u001b\[/);
    }
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).schemaVersion).toBe('1.0');
    const bad = await cli(['check', join(dir, 'fleet.json'), '--output', join(dir, 'no-such-dir', 'x.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--output .*x\.json: cannot write \(ENOENT\)/);
  });
});

describe('the JSON report', () => {
  it('names its schema version and the tool, whose version is package.json’s', async () => {
    const report = JSON.parse((await cli(['check', brokenFleet(), '--format', 'json'])).stdout);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(report).toMatchObject({ schemaVersion: '1.0', tool: { name: pkg.name, version: pkg.version } });
    const pretty = JSON.parse((await cli(['check', brokenFleet(), '--format', 'json'], { tty: true })).stdout);
    expect(pretty.tool).toEqual(report.tool);
  });
});
