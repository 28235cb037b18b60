import { z } from 'zod';
import { trigger, historyEntry } from '../store/rows.js';
import { citation, evidence, exemptionRef, restoreReadiness, severity } from './common.js';

/** The findings API's responses (core/store/findingsReads.ts builds them). */
export const findingView = z.strictObject({
  vmId: z.string(),
  vmName: z.string(),
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  ruleId: z.string(),
  state: z.enum(['open', 'resolved', 'exempted']),
  outcome: z.enum(['fail', 'unknown']),
  severity,
  message: z.string(),
  evidence,
  citation,
  edition: z.string(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  openedAt: z.string(),
  resolvedAt: z.string().optional(),
  resolvedReason: z.string().optional(),
  reopenCount: z.number().int().nonnegative(),
  exemption: exemptionRef.optional(),
  docs: z.string(),
});

/** Stored rows that failed validation and were left out of this answer (logged by their keys). */
const skippedRows = z.number().int().nonnegative().describe('Stored rows that failed validation and were left out of this answer');

export const findingsPageSchema = z
  .strictObject({ items: z.array(findingView), continuationToken: z.string().nullable().describe('Pass back as ?continuationToken= for the next page; null on the last'), skippedRows })
  .meta({ title: 'GET /api/findings' });

export const vmReportSchema = z
  .strictObject({
    vmId: z.string(),
    vmName: z.string(),
    subscriptionId: z.string(),
    resourceGroup: z.string(),
    location: z.string(),
    edition: z.string(),
    state: z.enum(['present', 'deleted']),
    lastEvaluatedAt: z.string(),
    lastTrigger: trigger,
    open: z.strictObject({ error: z.number().int(), warning: z.number().int(), info: z.number().int(), unknown: z.number().int() }),
    restore: restoreReadiness,
    findings: z.array(findingView),
    history: z.array(historyEntry),
    skippedRows,
  })
  .meta({ title: 'GET /api/vms/{subscriptionId}/{resourceGroup}/{vmName}' });

export const fleetSummarySchema = z
  .strictObject({
    subscription: z.string().nullable(),
    findings: z.strictObject({
      byState: z.strictObject({ open: z.number().int(), resolved: z.number().int(), exempted: z.number().int() }),
      bySeverity: z.strictObject({ error: z.number().int(), warning: z.number().int(), info: z.number().int() }),
      byRule: z.record(z.string(), z.number().int()),
    }),
    vms: z.strictObject({ total: z.number().int(), withOpenErrors: z.number().int(), deleted: z.number().int() }),
  })
  .meta({ title: 'GET /api/summary' });
