import { getEdition } from '../../core/matrix/editions/index.js';
import type { Severity } from '../../core/matrix/types.js';
import { docsUrlOf } from '../../core/matrix/ruleDocsUrl.js';
import type { CheckReport, ReportFinding, ReportVm } from '../checkReport.js';

/**
 * SARIF 2.1.0 for GitHub code scanning and Azure DevOps: one reportingDescriptor per rule of the edition (so a rule
 * that found nothing still shows as checked), one result per finding. A VM has no line in a file; its result points
 * at the input file it came from (check) and names the VM by ARM id as a logical location. Rule ids are stable, and
 * `partialFingerprints` carry the findingId, so code scanning tracks a finding across runs instead of reopening it.
 */

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const FINGERPRINT_KEY = 'vmBackupGuardFindingId/v1';

function descriptors(edition: string, docsBaseUrl: string | undefined) {
  return getEdition(edition).rules.map((r) => ({
    id: r.rule.id,
    // SARIF2012 wants a Pascal-case friendly name: compute.min-size → ComputeMinSize.
    name: r.rule.id
      .split(/[^A-Za-z0-9]+/)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: r.rule.title },
    fullDescription: { text: `${r.rule.title}. Azure VM backup support matrix: ${r.citation.section} › ${r.citation.row}.` },
    // SARIF1005: helpUri must be absolute, so it is there only with --docs-base-url; help.text always names the page.
    ...(docsBaseUrl ? { helpUri: docsUrlOf(r.rule.id, docsBaseUrl) } : {}),
    help: { text: `See ${docsUrlOf(r.rule.id, docsBaseUrl)} for why this matters and how to fix it.` },
    defaultConfiguration: { level: r.retired !== null ? ('none' as const) : LEVEL[r.severity] },
    properties: { tags: ['azure', 'backup', r.rule.id.split('.')[0]!] },
  }));
}

function result(f: ReportFinding, vm: ReportVm, ruleIndex: number) {
  return {
    ruleId: f.ruleId,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    // `unknown` is not a failure: facts were missing. SARIF's "review" kind says a person must look, and needs level none.
    ...(f.outcome === 'unknown' ? { kind: 'review' as const, level: 'none' as const } : { kind: 'fail' as const, level: LEVEL[f.severity] }),
    message: { text: `${vm.name}: ${f.message}` },
    locations: [
      {
        ...(vm.source !== undefined ? { physicalLocation: { artifactLocation: { uri: vm.source, uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } } } : {}),
        logicalLocations: [{ name: vm.name, fullyQualifiedName: vm.id, kind: 'resource' }],
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: f.findingId },
    // An exempted finding is still reported, as suppressed: GitHub and Azure DevOps then show it as dismissed.
    ...(f.exemption
      ? {
          suppressions: [
            {
              kind: 'external' as const,
              status: 'accepted' as const,
              justification: `${f.exemption.category} (${f.exemption.id}): ${f.exemption.reason}${f.exemption.expiresOn ? `; until ${f.exemption.expiresOn}` : ''}`,
            },
          ],
        }
      : {}),
    properties: {
      vmId: vm.id,
      outcome: f.outcome,
      severity: f.severity,
      matrix: `${f.citation.section} › ${f.citation.row}`,
      evidence: f.evidence,
      ...(f.exemption ? { exemption: f.exemption } : {}),
    },
  };
}

export function renderSarif(report: CheckReport, options: { docsBaseUrl?: string } = {}): string {
  const rules = descriptors(report.matrix, options.docsBaseUrl);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            ...(options.docsBaseUrl ? { informationUri: options.docsBaseUrl } : {}),
            rules,
          },
        },
        automationDetails: { id: `vm-backup-guard/${report.matrix}/` },
        invocations: [
          {
            executionSuccessful: report.inputErrors.length === 0,
            toolExecutionNotifications: report.inputErrors.map((e) => ({ level: 'error' as const, message: { text: `${e.file} ${e.path}: ${e.message}` } })),
          },
        ],
        results: report.vms.flatMap((vm) => [...vm.findings, ...vm.exempted].map((f) => result(f, vm, index.get(f.ruleId) ?? -1))),
        properties: { matrix: report.matrix, summary: report.summary },
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
