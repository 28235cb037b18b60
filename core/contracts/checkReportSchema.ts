import { z } from 'zod';
import { citation, evidence, exemptionRef, restoreReadiness, severity } from './common.js';

const reportFinding = z.strictObject({
  findingId: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .describe('sha256 of the lower-cased VM id, the rule id and the edition: stable across runs'),
  ruleId: z.string(),
  severity,
  outcome: z.enum(['fail', 'unknown']),
  message: z.string(),
  evidence,
  citation,
  docs: z.string().describe('The rule page: relative docs/rules/<id>.md, or absolute under --docs-base-url'),
});

/** `check --format json` / `scan --format json` (cli/checkReport.ts builds it; a test holds the two together). */
export const checkReportSchema = z
  .strictObject({
    schemaVersion: z.literal('1.0'),
    tool: z.strictObject({ name: z.literal('vm-backup-guard'), version: z.string() }),
    matrix: z.string().describe('The matrix edition checked against, e.g. 2026-03'),
    vms: z.array(
      z.strictObject({
        id: z.string().describe('ARM resource id of the VM'),
        name: z.string(),
        findings: z.array(reportFinding),
        hidden: z.number().int().nonnegative().describe('Findings of this VM left out by --min-severity'),
        exempted: z.array(reportFinding.extend({ exemption: exemptionRef })).describe('Findings an exemption covers: they never fail --fail-on'),
        source: z.string().optional().describe('The input file the VM was read from (check only)'),
        restore: restoreReadiness,
      }),
    ),
    summary: z.strictObject({
      vms: z.number().int().nonnegative(),
      vmsWithErrors: z.number().int().nonnegative(),
      failures: z.strictObject({ error: z.number().int(), warning: z.number().int(), info: z.number().int() }),
      unknown: z.number().int().nonnegative(),
      hidden: z.number().int().nonnegative(),
      exempted: z.number().int().nonnegative().describe('Findings exempted: counted in none of the other numbers'),
      failOn: z.enum(['error', 'warning', 'info', 'never']),
      failed: z.boolean(),
    }),
    inputErrors: z.array(z.strictObject({ file: z.string(), path: z.string(), message: z.string() })),
    warnings: z.array(z.string()),
  })
  .meta({ title: 'vm-backup-guard check report', description: 'The JSON report of `vm-backup-guard check` and `scan`' });
